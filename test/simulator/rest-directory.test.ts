import { ManualClock, SIM_TOKENS, startSimulator, type Simulator } from '../../simulator';
import { restClient } from './rest-helpers';

/** Departments and agents of the Chat REST API (NOTES.md section 3). */
describe('Chat REST API: departments and agents', () => {
	let sim: Simulator;
	let call: ReturnType<typeof restClient>;

	const ada = {
		create_date: '2026-01-05T09:00:00Z',
		departments: [2001],
		display_name: 'Ada Bot',
		email: 'bot@sim.example.com',
		enabled: true,
		enabled_departments: [2001],
		first_name: 'Ada',
		id: 1001,
		last_login: null,
		last_name: 'Bot',
		login_count: 0,
		role_id: 1,
		roles: { administrator: true, owner: false },
		skills: [],
	};
	const grace = {
		...ada,
		departments: [2001, 2002],
		display_name: 'Grace Hopper',
		email: 'grace@sim.example.com',
		enabled_departments: [2001, 2002],
		first_name: 'Grace',
		id: 1002,
		last_name: 'Hopper',
	};
	const departments = [
		{
			description: 'New customers',
			enabled: true,
			id: 2001,
			members: [1001, 1002],
			name: 'Sales',
			settings: {},
		},
		{
			description: 'Existing customers',
			enabled: true,
			id: 2002,
			members: [1002],
			name: 'Support',
			settings: {},
		},
		{
			description: 'Invoices and payments',
			enabled: true,
			id: 2003,
			members: [],
			name: 'Billing',
			settings: {},
		},
	];

	beforeAll(async () => {
		sim = await startSimulator({ clock: new ManualClock('2026-01-05T09:00:00Z') });
		call = restClient(sim);
	});
	afterAll(() => sim.close());

	it('lists departments as an array, and shows one by id and by name', async () => {
		const list = await call('GET', '/departments');
		expect(list.status).toBe(200);
		expect(list.body).toEqual(departments);
		expect((await call('GET', '/departments/2002')).body).toEqual(departments[1]);
		expect((await call('GET', '/departments/name/Billing')).body).toEqual(departments[2]);
		const spaced = sim.world.addDepartment({ id: 2004, name: 'After Sales' });
		expect((await call('GET', '/departments/name/After%20Sales')).body.id).toBe(spaced.id);
		sim.world.departments.delete(2004);
	});

	it('answers 404 for unknown departments', async () => {
		for (const path of [
			'/departments/9999',
			'/departments/sales',
			'/departments/name/billing',
			'/departments/name/Nope',
		]) {
			const res = await call('GET', path);
			expect([path, res.status, res.body.error]).toEqual([path, 404, 'Not Found']);
		}
		expect((await call('GET', '/departments/9999')).body.description).toBe(
			'department 9999 not found',
		);
		expect((await call('GET', '/departments/name/Nope')).body.description).toBe(
			'no department named Nope',
		);
	});

	it('shows agents by id, by email and as "me" (the token\'s agent)', async () => {
		expect((await call('GET', '/agents/1001')).body).toEqual(ada);
		expect((await call('GET', '/agents/email/GRACE@sim.example.com')).body).toEqual(grace);
		expect((await call('GET', '/agents/me')).body).toEqual(ada);
		expect((await call('GET', '/agents/me', { token: SIM_TOKENS.human })).body).toEqual(grace);
		expect((await call('GET', '/agents/me', { token: SIM_TOKENS.readOnly })).body.id).toBe(1001);
	});

	it('answers 404 for unknown agents', async () => {
		const byId = await call('GET', '/agents/4242');
		expect(byId.status).toBe(404);
		expect(byId.body).toEqual({ error: 'Not Found', description: 'agent 4242 not found' });
		const byEmail = await call('GET', '/agents/email/nobody@example.com');
		expect(byEmail.body).toEqual({
			error: 'Not Found',
			description: 'no agent with email nobody@example.com',
		});
		expect((await call('GET', '/agents/ada')).status).toBe(404);
	});

	it('pages agents with since_id and limit (at most 100), as an array', async () => {
		expect((await call('GET', '/agents')).body).toEqual([ada, grace]);
		for (let id = 3000; id < 3250; id++) sim.world.addAgent({ id, displayName: `Agent ${id}` });
		const all = [...sim.world.agents.keys()].sort((a, b) => a - b);

		const pages: number[][] = [];
		let sinceId = 0;
		for (;;) {
			const res = await call('GET', `/agents?since_id=${sinceId}&limit=100`);
			expect(res.status).toBe(200);
			if (res.body.length === 0) break;
			pages.push(res.body.map((a: any) => a.id));
			// NOTES.md section 3: next since_id = last.id + 1.
			sinceId = res.body[res.body.length - 1].id + 1;
		}
		expect(pages.map((p) => p.length)).toEqual([100, 100, 52]);
		expect(pages.flat()).toEqual(all);

		expect((await call('GET', '/agents?limit=500')).body).toHaveLength(100);
		expect((await call('GET', '/agents?since_id=3248&limit=5')).body.map((a: any) => a.id)).toEqual(
			[3248, 3249],
		);
		const agent = (await call('GET', '/agents/3000')).body;
		expect(agent).toMatchObject({
			id: 3000,
			display_name: 'Agent 3000',
			first_name: 'Agent',
			last_name: '3000',
			email: 'agent3000@example.com',
		});
	});

	it('refuses bad paging parameters with 400', async () => {
		for (const [query, description] of [
			['since_id=abc', 'since_id must be an integer, not "abc"'],
			['limit=0', 'limit must be at least 1'],
			['limit=', 'limit must be an integer, not ""'],
		]) {
			const res = await call('GET', `/agents?${query}`);
			expect([query, res.status, res.body]).toEqual([
				query,
				400,
				{ error: 'Bad Request', description },
			]);
		}
	});

	it('is read-only: writes to agents and departments answer 405', async () => {
		expect((await call('PUT', '/agents/1001', { body: { display_name: 'x' } })).status).toBe(405);
		expect((await call('POST', '/departments', { body: { name: 'x' } })).status).toBe(405);
		expect((await call('DELETE', '/departments/2001')).status).toBe(405);
		expect(sim.world.departments.has(2001)).toBe(true);
	});
});
