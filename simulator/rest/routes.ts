import { deleteChat, deleteChats, listChats, showChat, updateChat } from './chats';
import { listAgents, listDepartments, showAgent, showDepartment } from './directory';
import { RestError } from './errors';
import { exportChats } from './incremental';
import { searchChats } from './search';
import type { RestHandler } from './types';

interface Route {
	/** Literal segments, or "*" for any one segment. */
	pattern: string[];
	methods: Record<string, RestHandler>;
}

const notSimulated: RestHandler = () => {
	throw new RestError(405, 'POST /chats (an agent creates an offline message) is not simulated');
};

/** Paths under /api/v2/chat/ (NOTES.md section 3); the first match wins, so literals come first. */
const ROUTES: Route[] = [
	{ pattern: ['chats'], methods: { GET: listChats, DELETE: deleteChats, POST: notSimulated } },
	{ pattern: ['chats', 'search'], methods: { GET: searchChats } },
	{ pattern: ['chats', '*'], methods: { GET: showChat, PUT: updateChat, DELETE: deleteChat } },
	{ pattern: ['incremental', 'chats'], methods: { GET: exportChats } },
	{ pattern: ['agents'], methods: { GET: listAgents } },
	{ pattern: ['agents', 'email', '*'], methods: { GET: showAgent } },
	{ pattern: ['agents', '*'], methods: { GET: showAgent } },
	{ pattern: ['departments'], methods: { GET: listDepartments } },
	{ pattern: ['departments', 'name', '*'], methods: { GET: showDepartment } },
	{ pattern: ['departments', '*'], methods: { GET: showDepartment } },
];

/** The route of these segments, or undefined (404). */
export function findRoute(segments: string[]): Route | undefined {
	return ROUTES.find(
		(route) =>
			route.pattern.length === segments.length &&
			route.pattern.every((part, i) => (part === '*' ? segments[i] !== '' : part === segments[i])),
	);
}

/**
 * The OAuth scope a method needs (NOTES.md section 2: the REST API needs `read`; changing data
 * needs `write`, unverified).
 */
export function scopeFor(method: string): 'read' | 'write' {
	return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
}
