import type { AgentRecord } from '../world/types';
import { notFound } from './errors';
import { integerParam } from './params';
import { renderAgent, renderDepartment } from './render';
import type { RestEnv, RestReply, RestRequest } from './types';

/** NOTES.md section 3: "GET /agents: page with since_id and limit (100); next since_id = last.id+1". */
export const AGENTS_LIMIT = 100;

/**
 * GET /agents?since_id=&limit=: a JSON array (as singer tap-zendesk-chat reads it) of the agents
 * whose id is at least since_id, by id; limit defaults to 100 and is clamped to 100 (singer asks
 * for 500). An empty array ends the walk.
 */
export function listAgents(env: RestEnv, req: RestRequest): RestReply {
	const sinceId = integerParam(req.url, 'since_id', { min: 0 }) ?? 0;
	const limit = integerParam(req.url, 'limit', { min: 1, max: AGENTS_LIMIT }) ?? AGENTS_LIMIT;
	const agents = [...env.world.agents.values()]
		.filter((a) => a.id >= sinceId)
		.sort((a, b) => a.id - b.id)
		.slice(0, limit);
	return { status: 200, body: agents.map((a) => renderAgent(env.world, a)) };
}

/** GET /agents/{id}, /agents/me (the token's agent), /agents/email/{email} (case-insensitive). */
export function showAgent(env: RestEnv, req: RestRequest): RestReply {
	const [, key, email] = req.segments;
	let agent: AgentRecord | undefined;
	if (key === 'me') agent = env.world.agents.get(req.agentId);
	else if (key === 'email')
		agent = [...env.world.agents.values()].find(
			(a) => a.email.toLowerCase() === email.toLowerCase(),
		);
	else if (/^\d+$/.test(key)) agent = env.world.agents.get(Number(key));
	if (!agent)
		throw notFound(key === 'email' ? `no agent with email ${email}` : `agent ${key} not found`);
	return { status: 200, body: renderAgent(env.world, agent) };
}

/** GET /departments: a JSON array (singer reads it as one page), by id. */
export function listDepartments(env: RestEnv): RestReply {
	const departments = [...env.world.departments.values()].sort((a, b) => a.id - b.id);
	return { status: 200, body: departments.map(renderDepartment) };
}

/** GET /departments/{id} and /departments/name/{name} (exact, case-sensitive name: unverified). */
export function showDepartment(env: RestEnv, req: RestRequest): RestReply {
	const [, key, name] = req.segments;
	const department =
		key === 'name'
			? [...env.world.departments.values()].find((d) => d.name === name)
			: /^\d+$/.test(key)
				? env.world.departments.get(Number(key))
				: undefined;
	if (!department)
		throw notFound(key === 'name' ? `no department named ${name}` : `department ${key} not found`);
	return { status: 200, body: renderDepartment(department) };
}
