import type { ControlOperation } from '../module';
import type { ChatWorld, NewVisitor } from './chat-world';
import type { AgentStatus, DepartmentStatus, StructuredPayload } from './types';

/** World scripting: visitors chat, agents act, departments and agents change status. */
export function createWorldControl(world: ChatWorld): Record<string, ControlOperation> {
	return {
		startChat: (a: { visitor?: NewVisitor; departmentId?: number; message?: string } = {}) =>
			world.startChat(a),
		visitorSays: (a: { chatId: string; text: string }) => world.visitorSays(a.chatId, a.text),
		agentSays: (a: {
			chatId: string;
			agentId: number;
			text: string;
			structured?: StructuredPayload;
		}) => world.agentSays(a.chatId, a.agentId, { text: a.text, structured: a.structured }),
		agentJoins: (a: { chatId: string; agentId: number }) =>
			world.agentJoins(a.chatId, a.agentId) ?? null,
		agentLeaves: (a: { chatId: string; agentId: number }) =>
			world.agentLeaves(a.chatId, a.agentId) ?? null,
		endChat: (a: { chatId: string }) => world.endChat(a.chatId),
		rateChat: (a: { chatId: string; rating: 'good' | 'bad' | null; comment?: string }) =>
			world.rate(a.chatId, a.rating, a.comment),
		addOfflineMessage: (a: { visitor?: NewVisitor; departmentId?: number; message: string }) =>
			world.addOfflineMessage(a),
		setDepartmentStatus: (a: { departmentId: number; status: DepartmentStatus }) =>
			world.setDepartmentStatus(a.departmentId, a.status),
		setAgentStatus: (a: { agentId: number; status: AgentStatus }) =>
			world.setAgentStatus(a.agentId, a.status),
		addToken: (a: {
			accessToken: string;
			agentId: number;
			scopes?: string[];
			expiresAt?: number;
		}) => world.addToken(a),
		revokeToken: (a: { accessToken: string }) => {
			world.revokeToken(a.accessToken);
			return { revoked: a.accessToken };
		},
		getChat: (a: { chatId: string }) => world.requireChat(a.chatId),
		listChats: () => world.listChats(),
		/** What the visitor's widget received from agents, in order. */
		deliveredToVisitor: (a: { chatId: string }) => world.requireChat(a.chatId).delivered,
		listAgents: () => [...world.agents.values()],
		listDepartments: () => [...world.departments.values()],
	};
}
