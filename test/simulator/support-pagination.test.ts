import { startSimulator, type Simulator } from '../../simulator';
import { apiTokenAuth, supportGet } from './support-helpers';

/**
 * The simulated Support API's two pagination styles ("Pagination" in the API reference
 * introduction): cursor (`page[size]` at most 100, `meta.has_more`, `meta.after_cursor`,
 * `links.next`) and offset (`page`, `per_page`, `next_page`, `count`).
 */
let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(() => sim.close());

describe('cursor pagination', () => {
	it('pages 130 organizations by 100 following meta.after_cursor until has_more is false', async () => {
		const first = (await supportGet(sim, '/organizations?page[size]=100')).body;
		expect(first.organizations).toHaveLength(100);
		expect(first.meta.has_more).toBe(true);
		expect(typeof first.meta.after_cursor).toBe('string');
		expect(first.links.next).toBe(
			`${sim.urls.support}/organizations?page%5Bsize%5D=100&page%5Bafter%5D=${first.meta.after_cursor}`,
		);

		const second = (
			await supportGet(sim, `/organizations?page[size]=100&page[after]=${first.meta.after_cursor}`)
		).body;
		expect(second.organizations).toHaveLength(30);
		expect(second.meta.has_more).toBe(false);
		// The last page still names a cursor: only has_more says to stop.
		expect(typeof second.meta.after_cursor).toBe('string');
		expect(second.links.next).toBeNull();

		const ids = [...first.organizations, ...second.organizations].map((o: any) => o.id);
		expect(new Set(ids).size).toBe(130);
		expect(ids).toEqual([...ids].sort((a, b) => a - b));
	});

	it('gives links.next that fetch the same next page', async () => {
		const first = (await supportGet(sim, '/users?role[]=agent&role[]=admin&page[size]=50')).body;
		const viaLink = (await (
			await fetch(first.links.next, { headers: { authorization: apiTokenAuth() } })
		).json()) as any;
		const viaCursor = (
			await supportGet(
				sim,
				`/users?role[]=agent&role[]=admin&page[size]=50&page[after]=${first.meta.after_cursor}`,
			)
		).body;
		expect(viaLink.users.map((u: any) => u.id)).toEqual(viaCursor.users.map((u: any) => u.id));
		expect(viaLink.users.every((u: any) => u.role === 'agent' || u.role === 'admin')).toBe(true);
	});

	it('refuses page[size] over 100, under 1 or not a number, and a cursor it did not give out, with 400', async () => {
		for (const query of [
			'page[size]=101',
			'page[size]=0',
			'page[size]=ten',
			'page[size]=10&page[after]=bm90LWEtY3Vyc29y',
		]) {
			const answer = await supportGet(sim, `/groups?${query}`);
			expect({ query, status: answer.status, error: answer.body.error }).toEqual({
				query,
				status: 400,
				error: 'InvalidPaginationParameter',
			});
		}
		expect((await supportGet(sim, '/groups?page[size]=101')).body.description).toBe(
			'page[size] must be at most 100',
		);
	});
});

describe('offset pagination', () => {
	it('pages without page[size]: next_page until null, with the count', async () => {
		const first = (await supportGet(sim, '/organizations?per_page=60')).body;
		expect(first).toMatchObject({ count: 130, previous_page: null });
		expect(first.organizations).toHaveLength(60);
		expect(new URL(first.next_page).searchParams.get('page')).toBe('2');
		const third = (await supportGet(sim, '/organizations?per_page=60&page=3')).body;
		expect(third.organizations).toHaveLength(10);
		expect(third.next_page).toBeNull();
	});

	it('pages searches 100 at a time at most', async () => {
		const first = (await supportGet(sim, '/users/search?query=sim-support.example&per_page=500'))
			.body;
		expect(first.users).toHaveLength(100);
		expect(first.count).toBe(115);
		const second = (await supportGet(sim, '/users/search?query=sim-support.example&page=2')).body;
		expect(second.users).toHaveLength(15);
		expect(second.next_page).toBeNull();
	});
});
