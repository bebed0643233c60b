/**
 * The schema side of the check: introspection (over HTTP without a token), validation of documents
 * against an introspected schema (validating is not sending), and the facts the references miss
 * (argument types and payload fields), read from the server's own schema.
 */
import {
	buildClientSchema,
	getIntrospectionQuery,
	getNamedType,
	GraphQLError,
	isEnumType,
	isInputObjectType,
	isInterfaceType,
	isObjectType,
	isScalarType,
	isUnionType,
	Kind,
	parse,
	validate,
	validateSchema,
	type GraphQLField,
	type GraphQLNamedType,
	type GraphQLSchema,
	type IntrospectionQuery,
	type OperationDefinitionNode,
} from 'graphql';

export const INTROSPECTION_DOCUMENT = getIntrospectionQuery();

export type IntrospectionOutcome =
	| {
			ok: true;
			schema: GraphQLSchema;
			types: number;
			/**
			 * What graphql-js's schema rules say about the server's schema (e.g. an interface field an
			 * implementation lacks); empty when none. Documents are validated against it all the same.
			 */
			problems: string[];
	  }
	| { ok: false; reason: string };

/** Builds a schema from an introspection answer's `data`, or says why it cannot. */
export function schemaFromIntrospection(data: unknown): IntrospectionOutcome {
	if (data === null || typeof data !== 'object' || !('__schema' in data)) {
		return { ok: false, reason: 'the answer has no data.__schema' };
	}
	try {
		const strict = buildClientSchema(data as IntrospectionQuery);
		const problems = validateSchema(strict).map((error) => error.message);
		// graphql's validate() refuses to run against a schema that breaks its rules; a server may
		// serve one all the same, and documents are still checked against what it serves.
		const schema =
			problems.length === 0
				? strict
				: buildClientSchema(data as IntrospectionQuery, { assumeValid: true });
		const types = Object.keys(schema.getTypeMap()).filter((name) => !name.startsWith('__')).length;
		return { ok: true, schema, types, problems };
	} catch (error) {
		return { ok: false, reason: `the answer is not a usable schema: ${(error as Error).message}` };
	}
}

/**
 * POSTs the standard introspection query to the HTTP endpoint without a token (the getting-started
 * guide points GraphQL IDEs at it "to help you construct your GraphQL queries with ... error
 * detection"). Never throws: a refusal is an outcome.
 */
export async function introspectOverHttp(
	httpUrl: string,
	timeoutMs: number,
	signal?: AbortSignal,
): Promise<IntrospectionOutcome> {
	const timeout = AbortSignal.timeout(timeoutMs);
	let response: Response;
	try {
		response = await fetch(httpUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json', accept: 'application/json' },
			body: JSON.stringify({
				query: INTROSPECTION_DOCUMENT,
				variables: {},
				operationName: 'IntrospectionQuery',
			}),
			signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
		});
	} catch (error) {
		const why = timeout.aborted
			? `no answer within ${Math.round(timeoutMs / 1000)} s`
			: (error as Error).message;
		return { ok: false, reason: `could not reach the endpoint: ${why}` };
	}
	const text = await response.text().catch(() => '');
	let body: unknown;
	try {
		body = text === '' ? undefined : JSON.parse(text);
	} catch {
		return { ok: false, reason: `HTTP ${response.status}, not JSON: ${clip(text, 160)}` };
	}
	const errors = graphqlErrors(body);
	if (errors) return { ok: false, reason: `HTTP ${response.status}: ${errors}` };
	if (!response.ok) return { ok: false, reason: `HTTP ${response.status}: ${clip(text, 160)}` };
	return schemaFromIntrospection((body as { data?: unknown } | undefined)?.data);
}

/** `NAME: message; NAME: message` of a GraphQL error payload, or undefined when it has none. */
function graphqlErrors(body: unknown): string | undefined {
	const errors = (body as { errors?: unknown } | null | undefined)?.errors;
	if (!Array.isArray(errors) || errors.length === 0) return undefined;
	return errors
		.map((e) => {
			const entry = (e ?? {}) as { name?: unknown; message?: unknown };
			const name = typeof entry.name === 'string' ? `${entry.name}: ` : '';
			return `${name}${typeof entry.message === 'string' ? entry.message : JSON.stringify(e)}`;
		})
		.join('; ');
}

export function clip(text: string, max: number): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** graphql's messages for a document the schema refuses; empty when it holds. */
export function validateDocument(schema: GraphQLSchema, document: string): string[] {
	try {
		return validate(schema, parse(document)).map((error) => error.message);
	} catch (error) {
		if (error instanceof GraphQLError) return [`does not parse: ${error.message}`];
		throw error;
	}
}

// ---- facts ------------------------------------------------------------------------------------------

type Root = 'Query' | 'Mutation' | 'Subscription';

export interface OperationFact {
	root: Root;
	field: string;
	/** `sendMessage(channel_id: ID!, msg: String!): SendMessagePayload!`, or null when the schema lacks the field. */
	signature: string | null;
}

export interface TypeFact {
	kind: 'object' | 'input' | 'interface' | 'union' | 'enum' | 'scalar';
	/** `name: Type` (with arguments for object fields that take any). */
	fields?: string[];
	values?: string[];
	possibleTypes?: string[];
}

export interface SchemaFacts {
	/** Which introspection the facts come from. */
	source: 'the WebSocket' | 'HTTP';
	/** Every root field the client's documents use, as the server declares it. */
	operations: OperationFact[];
	/** The input types and enums of their arguments (all the way down) and their payload types (one level). */
	types: Record<string, TypeFact>;
	/** Every root field the server has, to spot what the references do not list. */
	rootFields: Record<Root, string[]>;
}

const BUILT_IN_SCALARS = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);

/** The root fields a document selects, e.g. [['Mutation', 'sendMessage']]. */
export function rootFieldsOf(document: string): Array<[Root, string]> {
	const out: Array<[Root, string]> = [];
	for (const definition of parse(document).definitions) {
		if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
		const op = definition as OperationDefinitionNode;
		const root: Root =
			op.operation === 'query'
				? 'Query'
				: op.operation === 'mutation'
					? 'Mutation'
					: 'Subscription';
		for (const selection of op.selectionSet.selections) {
			if (selection.kind === Kind.FIELD && !selection.name.value.startsWith('__'))
				out.push([root, selection.name.value]);
		}
	}
	return out;
}

/** What the server's schema says about every root field of `documents`. */
export function schemaFacts(
	schema: GraphQLSchema,
	documents: readonly string[],
	source: SchemaFacts['source'],
): SchemaFacts {
	const roots: Record<Root, ReturnType<GraphQLSchema['getQueryType']>> = {
		Query: schema.getQueryType(),
		Mutation: schema.getMutationType(),
		Subscription: schema.getSubscriptionType(),
	};
	const seen = new Set<string>();
	const wanted: Array<[Root, string]> = [];
	for (const document of documents) {
		for (const [root, field] of rootFieldsOf(document)) {
			const key = `${root}.${field}`;
			if (seen.has(key)) continue;
			seen.add(key);
			wanted.push([root, field]);
		}
	}
	const order: Root[] = ['Mutation', 'Query', 'Subscription'];
	wanted.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]) || a[1].localeCompare(b[1]));

	const types: Record<string, TypeFact> = {};
	const operations: OperationFact[] = [];
	for (const [root, name] of wanted) {
		const field = roots[root]?.getFields()[name];
		if (!field) {
			operations.push({ root, field: name, signature: null });
			continue;
		}
		operations.push({ root, field: name, signature: signature(field) });
		for (const arg of field.args) describeInput(getNamedType(arg.type), types);
		describeOutput(getNamedType(field.type), types);
	}
	const rootFields = Object.fromEntries(
		order.map((root) => [root, Object.keys(roots[root]?.getFields() ?? {}).sort()]),
	) as Record<Root, string[]>;
	return { source, operations, types, rootFields };
}

function signature(field: GraphQLField<unknown, unknown>): string {
	const args = field.args.map((arg) => `${arg.name}: ${String(arg.type)}`).join(', ');
	return `${field.name}${args ? `(${args})` : ''}: ${String(field.type)}`;
}

/** An argument's type: input objects all the way down, enums with their values. */
function describeInput(type: GraphQLNamedType, into: Record<string, TypeFact>): void {
	if (BUILT_IN_SCALARS.has(type.name) || into[type.name]) return;
	if (isEnumType(type)) {
		into[type.name] = { kind: 'enum', values: type.getValues().map((v) => v.name) };
	} else if (isInputObjectType(type)) {
		const fields = Object.values(type.getFields());
		into[type.name] = { kind: 'input', fields: fields.map((f) => `${f.name}: ${String(f.type)}`) };
		for (const f of fields) describeInput(getNamedType(f.type), into);
	} else if (isScalarType(type)) {
		into[type.name] = { kind: 'scalar' };
	}
}

/** A payload type: its own fields (one level), its members when it is a union, enum values. */
function describeOutput(type: GraphQLNamedType, into: Record<string, TypeFact>): void {
	if (BUILT_IN_SCALARS.has(type.name) || into[type.name]) return;
	if (isObjectType(type) || isInterfaceType(type)) {
		into[type.name] = {
			kind: isObjectType(type) ? 'object' : 'interface',
			fields: Object.values(type.getFields()).map(signature),
		};
		// The enums a payload returns (e.g. a status) and the members of its unions (e.g. the logs of
		// chatActivity) are part of what it says.
		for (const f of Object.values(type.getFields())) {
			const named = getNamedType(f.type);
			if (isEnumType(named)) describeInput(named, into);
			if (isUnionType(named) && !into[named.name])
				into[named.name] = { kind: 'union', possibleTypes: named.getTypes().map((t) => t.name) };
		}
	} else if (isUnionType(type)) {
		into[type.name] = { kind: 'union', possibleTypes: type.getTypes().map((t) => t.name) };
	} else {
		describeInput(type, into);
	}
}
