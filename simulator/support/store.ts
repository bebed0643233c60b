import { SIM_SUPPORT } from '../defaults';
import { SEED_IDS, seedSupport } from './seed';
import type { OAuthTokenRecord, ResourceName, SupportRecord } from './types';

/** The simulated Support account: its records (sorted by id, the order cursor pages follow) and tokens. */
export class SupportStore {
	records: Record<ResourceName, SupportRecord[]>;
	readonly apiTokens = new Set<string>([SIM_SUPPORT.apiToken]);
	readonly oauthTokens = new Map<string, OAuthTokenRecord>();

	constructor() {
		this.records = seedSupport();
		this.seedTokens();
	}

	reset(): void {
		this.records = seedSupport();
		this.apiTokens.clear();
		this.apiTokens.add(SIM_SUPPORT.apiToken);
		this.oauthTokens.clear();
		this.seedTokens();
	}

	private seedTokens(): void {
		this.oauthTokens.set(SIM_SUPPORT.oauthToken, {
			userId: SEED_IDS.adminUser,
			scopes: ['read', 'write'],
			revoked: false,
		});
		this.oauthTokens.set(SIM_SUPPORT.writeOnlyOauthToken, {
			userId: SEED_IDS.adminUser,
			scopes: ['write'],
			revoked: false,
		});
	}

	find(resource: ResourceName, id: number): SupportRecord | undefined {
		return this.records[resource].find((record) => record.id === id);
	}

	userByEmail(email: string): SupportRecord | undefined {
		const wanted = email.trim().toLowerCase();
		return this.records.users.find((user) => String(user.email).toLowerCase() === wanted);
	}

	/** Adds records (ids given or the next free ones), keeping the id order. */
	add(resource: ResourceName, records: Array<Record<string, unknown>>): SupportRecord[] {
		const list = this.records[resource];
		let next = Math.max(0, ...list.map((record) => record.id)) + 1;
		const added = records.map((record) => {
			const id =
				typeof record.id === 'number' && Number.isSafeInteger(record.id) && record.id > 0
					? record.id
					: next++;
			if (list.some((existing) => existing.id === id))
				throw new Error(`${resource} ${id} exists already`);
			const full: SupportRecord = { ...record, id };
			list.push(full);
			next = Math.max(next, id + 1);
			return full;
		});
		list.sort((a, b) => a.id - b.id);
		return added;
	}
}
