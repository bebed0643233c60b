import { buildSchema, type GraphQLSchema } from 'graphql';

/**
 * The Chat Conversations API schema, rebuilt from the references because the real one
 * (zendesk.github.io/conversations-api) is not available here in machine-readable form:
 * - seeds/chat-conversations-api-getting-started.txt (startAgentSession, message subscription,
 *   updateAgentStatus, sendMessage, sendQuickReplies with fallback, departments, transferToDepartment,
 *   updateVisitorInfo in the "Request payload" example, stopAgentSession in "End of service signal");
 * - seeds/chat-conversations-api-overview.txt changelog (msg_id, raw_id, current_ip, ip, external_id,
 *   DEPARTMENT_STATUS ONLINE/OFFLINE/AWAY, graphQLSubscriptions, agents query, structured messages);
 * - NOTES.md section 1 (the operations seen in public code and their arguments).
 * Everything the references do not show is (unverified): type names of inputs and payloads, nullability,
 * the connection arguments, and the extra fields marked below. Operations NOTES lists as "not found
 * anywhere" (removeTags, sendFileMessage, endChat, chats, agentStatus) are deliberately absent, so a
 * client that relies on them fails here with graphql's "Cannot query field" instead of passing.
 */
export const CONVERSATIONS_SDL = /* GraphQL */ `
schema {
	query: Query
	mutation: Mutation
	subscription: Subscription
}

"Relay node: ids are base64 of a JSON list of [key, value] pairs: localId and type (NOTES.md section 1)."
interface Node {
	id: ID!
}

"Who sent a message or joined a chat: an Agent or a Visitor (from.__typename, NOTES.md section 1)."
interface User {
	id: ID!
	display_name: String
}

"A chat. The only kind here is VisitorChannel (NOTES.md: channel { id ... on VisitorChannel { ... } })."
interface Channel {
	id: ID!
	agents(first: Int, after: String): AgentConnection!
}

enum AGENT_STATUS {
	ONLINE
	AWAY
	INVISIBLE
	OFFLINE
}

"Changelog 7 January 2019: DEPARTMENT_STATUS now includes ONLINE, OFFLINE and AWAY."
enum DEPARTMENT_STATUS {
	ONLINE
	OFFLINE
	AWAY
}

enum CHAT_ACTIVITY_TYPE {
	MEMBER_JOIN
	MEMBER_LEAVE
}

enum BUTTON_ACTION_TYPE {
	QUICK_REPLY_ACTION
	LINK_ACTION
}

type PageInfo {
	hasNextPage: Boolean!
	hasPreviousPage: Boolean!
	startCursor: String
	endCursor: String
}

type Agent implements Node & User {
	id: ID!
	"Changelog 7 April 2020: raw_id of Agent (the REST API's numeric id, as a string)."
	raw_id: String
	name: String
	display_name: String
	status: AGENT_STATUS
	"(unverified) The agent's departments; with Department.agents it makes the cycle that the depth limit of 11 implies."
	departments(first: Int, after: String): DepartmentConnection!
}

type AgentEdge {
	node: Agent!
	cursor: String!
}

type AgentConnection {
	edges: [AgentEdge!]!
	pageInfo: PageInfo!
}

type Department implements Node {
	id: ID!
	raw_id: String
	name: String
	status: DEPARTMENT_STATUS
	"(unverified) The department's agents."
	agents(first: Int, after: String): AgentConnection!
}

type DepartmentEdge {
	node: Department!
	cursor: String!
}

type DepartmentConnection {
	edges: [DepartmentEdge!]!
	pageInfo: PageInfo!
}

type Visitor implements Node & User {
	id: ID!
	raw_id: String
	display_name: String
	email: String
	"Changelog 12 February 2019."
	external_id: String
	"Changelog 6 June 2019."
	current_ip: String
	current_country: String
	current_region: String
	current_tags: [String!]
}

type VisitorChannel implements Node & Channel {
	id: ID!
	"The REST API's chat id."
	raw_id: String
	"Changelog 6 June 2019."
	ip: String
	user_agent: String
	visitor: Visitor
	agents(first: Int, after: String): AgentConnection!
}

type ChannelEdge {
	node: Channel!
	cursor: String!
}

type ChannelConnection {
	edges: [ChannelEdge!]!
	pageInfo: PageInfo!
}

type Message implements Node {
	id: ID!
	"Changelog 9 Sept 2020: the client-chosen id of sendMessage's msg_id argument."
	msg_id: String
	content: String
	"Epoch milliseconds (unverified unit)."
	timestamp: Float
	sender_name: String
	channel: Channel
	from: User
}

type MessagePayload {
	node: Message
}

type MemberJoinLog implements Node {
	id: ID!
	timestamp: Float
	user_name: String
	user: User
	channel: Channel
}

type MemberLeaveLog implements Node {
	id: ID!
	timestamp: Float
	user_name: String
	user: User
	channel: Channel
}

union ChatActivity = MemberJoinLog | MemberLeaveLog

type ChatActivityPayload {
	node: ChatActivity
}

input ChatActivityFilter {
	chat_activity_types: [CHAT_ACTIVITY_TYPE!]
}

type AgentSession {
	websocket_url: String!
	session_id: String!
	client_id: String!
}

type ActionResponse {
	success: Boolean!
}

type AgentPayload {
	node: Agent
}

"Changelog 2 July 2019 (graphQLSubscriptions query); the fields are (unverified)."
type GraphQLSubscription {
	id: ID!
	query: String!
}

input QuickReplyActionInput {
	value: String!
}

input QuickReplyInput {
	text: String!
	action: QuickReplyActionInput!
}

input ButtonActionInput {
	type: BUTTON_ACTION_TYPE!
	value: String!
}

input ButtonInput {
	text: String!
	action: ButtonActionInput!
}

input LinkActionInput {
	value: String!
}

input PanelInput {
	heading: String!
	paragraph: String
	image_url: String
	action: LinkActionInput
}

input PanelTemplateInput {
	panel: PanelInput!
	buttons: [ButtonInput!]
}

input ListItemInput {
	heading: String!
	paragraph: String
	image_url: String
	action: LinkActionInput
}

"The plain-text version for widgets without structured messages (getting-started, sendQuickReplies)."
input FallbackInput {
	msg: String!
	options: [String!]
}

type Query {
	departments(first: Int, after: String): DepartmentConnection!
	agents(first: Int, after: String): AgentConnection!
	"Open channels this agent can see: unserved ones, ones it serves, ones it listens to (unverified)."
	channels(first: Int, after: String): ChannelConnection!
	graphQLSubscriptions: [GraphQLSubscription!]!
}

type Mutation {
	startAgentSession(access_token: String!): AgentSession
	stopAgentSession: ActionResponse
	updateAgentStatus(status: AGENT_STATUS!): AgentPayload
	sendMessage(channel_id: ID!, msg: String!, msg_id: String, backoff: Boolean): ActionResponse
	sendQuickReplies(channel_id: ID!, msg: String!, quick_replies: [QuickReplyInput!]!, fallback: FallbackInput): ActionResponse
	sendButtonTemplate(channel_id: ID!, msg: String!, buttons: [ButtonInput!]!, fallback: FallbackInput): ActionResponse
	sendPanelTemplate(channel_id: ID!, panel: PanelInput!, buttons: [ButtonInput!], fallback: FallbackInput): ActionResponse
	sendPanelTemplateCarousel(channel_id: ID!, items: [PanelTemplateInput!]!, fallback: FallbackInput): ActionResponse
	sendListTemplate(channel_id: ID!, items: [ListItemInput!]!, buttons: [ButtonInput!], fallback: FallbackInput): ActionResponse
	transferToDepartment(channel_id: ID!, department_id: ID!, leave: Boolean): ActionResponse
	inviteAgent(agent_id: ID!, channel_id: ID!, leave: Boolean): ActionResponse
	listenVisitorChannel(channel_id: ID!): ActionResponse
	addTags(channel_id: ID!, tags: [String!]!): ActionResponse
	setTypingIndicator(channel_id: ID!, typing: Boolean!, backoff: Boolean): ActionResponse
	"Shown in the getting-started doc's request payload example; the other arguments are (unverified)."
	updateVisitorInfo(visitor_id: ID!, display_name: String, email: String, phone: String, notes: String): ActionResponse
}

type Subscription {
	message: MessagePayload
	chatActivity(filter: ChatActivityFilter): ChatActivityPayload
}
`;

let built: GraphQLSchema | undefined;

/** The schema, built once per process (buildSchema also checks the SDL is a valid schema). */
export function conversationsSchema(): GraphQLSchema {
	built ??= buildSchema(CONVERSATIONS_SDL);
	return built;
}
