import {
	ICredentialsHelper,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeProperties,
	type IRequestOptionsSimplified,
	type Workflow,
} from 'n8n-workflow';

/**
 * Credentials for the engine in tests: decrypted data per credential type, and authentication done
 * the way n8n's own CredentialsHelper does it (a function, or a generic header/query/body spec whose
 * expressions are resolved against $credentials).
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	/** Every update n8n asked for (e.g. a refreshed OAuth2 token), in order. */
	readonly updates: Array<{ type: string; data: ICredentialDataDecryptedObject }> = [];

	constructor(
		private readonly types: Record<string, ICredentialType>,
		private readonly data: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	setData(type: string, data: ICredentialDataDecryptedObject): void {
		this.data[type] = data;
	}

	getParentTypes(name: string): string[] {
		const parents: string[] = [];
		for (const parent of this.types[name]?.extends ?? [])
			parents.push(parent, ...this.getParentTypes(parent));
		return parents;
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const options = requestOptions as IHttpRequestOptions;
		const authenticate = this.types[typeName]?.authenticate;
		if (!authenticate) return options;
		if (typeof authenticate === 'function') return authenticate(credentials, options);
		const resolve = (value: unknown) =>
			workflow && node
				? workflow.expression.getSimpleParameterValue(
						node,
						value as string,
						'internal',
						{ $credentials: credentials },
						undefined,
						'',
					)
				: value;
		const props = authenticate.properties;
		for (const [target, entries] of Object.entries(props) as Array<
			[string, Record<string, unknown> | undefined]
		>) {
			if (!entries) continue;
			if (target === 'auth') {
				options.auth = Object.fromEntries(
					Object.entries(entries).map(([k, v]) => [k, resolve(v)]),
				) as never;
				continue;
			}
			const bag = ((options as unknown as Record<string, Record<string, unknown> | undefined>)[
				target
			] ??= {});
			for (const [key, value] of Object.entries(entries)) bag[key] = resolve(value);
		}
		return options;
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these tests');
	}

	async getDecrypted(
		_additionalData: unknown,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`no test credentials of type ${type}`);
		return { ...data };
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.updates.push({ type, data });
		this.data[type] = data;
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.updates.push({ type, data });
		this.data[type] = data;
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.types[type]?.properties ?? [];
	}
}
