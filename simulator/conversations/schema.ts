import {
	buildASTSchema,
	Kind,
	parse,
	print,
	validateSchema,
	type DefinitionNode,
	type DocumentNode,
	type FieldDefinitionNode,
	type GraphQLSchema,
	type InputValueDefinitionNode,
	type ListTypeNode,
	type NamedTypeNode,
	type TypeNode,
} from 'graphql';

/**
 * The Chat Conversations API schema, rebuilt from the references because the real one is not
 * available here in machine-readable form:
 * - /work/shared/reference/conversations-api-schema.md ("the schema pages"): what Zendesk's public
 *   schema pages (zendesk.github.io/conversations-api) show. Everything they show exactly is followed
 *   exactly here, and test/simulator/conversations-schema-pages.test.ts checks it fact by fact.
 * - seeds/chat-conversations-api-getting-started.txt (startAgentSession, message subscription,
 *   updateAgentStatus, sendMessage, sendQuickReplies with fallback, departments, transferToDepartment,
 *   updateVisitorInfo in the "Request payload" example, stopAgentSession in "End of service signal");
 * - seeds/chat-conversations-api-overview.txt changelog (msg_id, raw_id, current_ip, ip, external_id,
 *   DEPARTMENT_STATUS ONLINE/OFFLINE/AWAY, graphQLSubscriptions, agents query, structured messages);
 * - NOTES.md section 1 (the operations seen in public code and their arguments).
 * What none of them shows is (unverified): names of inputs, payload fields, the nullability and types of
 * unseen arguments (see SchemaVariant), the connection arguments. Operations NOTES lists as "not found
 * anywhere" (removeTags, sendFileMessage, endChat, chats, agentStatus) are deliberately absent, so a
 * client that relies on them fails here with graphql's "Cannot query field" instead of passing.
 * Arguments are listed alphabetically: the schema pages do so "in every seen case".
 */
const BASE_SDL = /* GraphQL */ `
	schema {
		query: Query
		mutation: Mutation
		subscription: Subscription
	}

	"""
	Generic user: an agent or a visitor (the schema pages: an interface in the Required-by list of ID).
	from.__typename tells which (NOTES.md section 1). There is no Node interface: the Required-by list of
	ID names none.
	"""
	interface User {
		id: ID!
		display_name: String
	}

	"""
	channel.doc.html (the schema pages): types, nullability and argument counts exact, names from the
	descriptions. Its third field, the chat logs (4 unnamed arguments String, Int, String, Int returning
	ChatLogConnection), is left out: its name is (not seen), so no client may depend on it.
	"""
	interface Channel {
		agents: AgentConnection
		id: ID!
	}

	"channel_state.doc.html (the schema pages), complete. Which field has this type is (not seen)."
	enum CHANNEL_STATE {
		ASSIGNED
		CLOSED
		CLOSING
		INCOMING
		ONGOING
	}

	"ONLINE is in the official sample (NOTES.md section 1); AWAY, INVISIBLE, OFFLINE are (unverified)."
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

	"NOTES.md section 1, BFlynn: chatActivity(filter: {chat_activity_types: [MEMBER_LEAVE, MEMBER_JOIN]})."
	enum CHAT_ACTIVITY_TYPE {
		MEMBER_JOIN
		MEMBER_LEAVE
	}

	"NOTES.md section 1 (BFlynn, diastowo29): action: {type: QUICK_REPLY_ACTION | LINK_ACTION, value}."
	enum BUTTON_ACTION_TYPE {
		QUICK_REPLY_ACTION
		LINK_ACTION
	}

	"Relay connections (NOTES.md section 1: edges { node }); pageInfo is (unverified)."
	type PageInfo {
		hasNextPage: Boolean!
		hasPreviousPage: Boolean!
		startCursor: String
		endCursor: String
	}

	type Agent implements User {
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

	type Department {
		id: ID!
		"Changelog 7 April 2020."
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

	type Visitor implements User {
		id: ID!
		"Changelog 7 April 2020."
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

	"A visitor-to-agent chat (NOTES.md: channel { id ... on VisitorChannel { ... } })."
	type VisitorChannel implements Channel {
		agents: AgentConnection
		id: ID!
		"Changelog 7 April 2020: the REST API's chat id."
		raw_id: String
		"Changelog 6 June 2019."
		ip: String
		user_agent: String
		visitor: Visitor
	}

	"An agent-to-agent chat: [inferred] from the Required-by lists of Channel and ID; other fields (not seen). Never served here."
	type AgentChannel implements Channel {
		agents: AgentConnection
		id: ID!
	}

	type ChannelEdge {
		node: Channel!
		cursor: String!
	}

	type ChannelConnection {
		edges: [ChannelEdge!]!
		pageInfo: PageInfo!
	}

	"message.doc.html (the schema pages), complete: these fields exactly, and no implements clause."
	type Message {
		channel: Channel!
		content: String!
		from: User!
		id: ID!
		"Changelog 9 Sept 2020: the msg_id given to sendMessage."
		msg_id: String
		"The discrete answers the visitor can pick (sendMessage's options)."
		options: [String!]
		sender_name: String!
		"UNIX time in milliseconds."
		timestamp: Float
	}

	type MessagePayload {
		node: Message
	}

	"Fields from BFlynn's chatActivity document (NOTES.md section 1); channel is [inferred] from the Required-by list of Channel."
	type MemberJoinLog {
		id: ID!
		timestamp: Float
		user_name: String
		user: User
		channel: Channel
	}

	type MemberLeaveLog {
		id: ID!
		timestamp: Float
		user_name: String
		user: User
		channel: Channel
	}

	"[inferred] from the Required-by lists of ID and Channel; other fields (not seen). Never published here."
	type MemberChangeLog {
		id: ID!
		channel: Channel
	}

	"(unverified) a union: the schema pages list no ChatLog interface."
	union ChatActivity = MemberJoinLog | MemberLeaveLog

	type ChatActivityPayload {
		node: ChatActivity
	}

	input ChatActivityFilter {
		chat_activity_types: [CHAT_ACTIVITY_TYPE!]
	}

	# The payload types: their names are on the schema pages ("<MutationName>Payload", non-null), their
	# fields are (not seen). These are public-code readings: websocket_url session_id client_id (official
	# sample), node (official sample's updateAgentStatus), success (NOTES.md section 1: "Return selection
	# is { success }").
	type StartAgentSessionPayload {
		websocket_url: String!
		session_id: String!
		client_id: String!
	}

	type StopAgentSessionPayload {
		success: Boolean!
	}

	type AddTagsPayload {
		success: Boolean!
	}

	type InviteAgentPayload {
		success: Boolean!
	}

	type LeaveChannelPayload {
		success: Boolean!
	}

	type ListenVisitorChannelPayload {
		success: Boolean!
	}

	type SendMessagePayload {
		success: Boolean!
	}

	type SendQuickRepliesPayload {
		success: Boolean!
	}

	type SendButtonTemplatePayload {
		success: Boolean!
	}

	type SendPanelTemplatePayload {
		success: Boolean!
	}

	type SendPanelTemplateCarouselPayload {
		success: Boolean!
	}

	type SendListTemplatePayload {
		success: Boolean!
	}

	type TransferToDepartmentPayload {
		success: Boolean!
	}

	type SetTypingIndicatorPayload {
		success: Boolean!
	}

	type UpdateVisitorInfoPayload {
		success: Boolean!
	}

	type UpdateAgentStatusPayload {
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
		action: QuickReplyActionInput!
		text: String!
	}

	input ButtonActionInput {
		type: BUTTON_ACTION_TYPE!
		value: String!
	}

	input ButtonInput {
		action: ButtonActionInput!
		text: String!
	}

	input LinkActionInput {
		value: String!
	}

	input PanelInput {
		action: LinkActionInput
		heading: String!
		image_url: String
		paragraph: String
	}

	input PanelTemplateInput {
		buttons: [ButtonInput!]
		panel: PanelInput!
	}

	input ListItemInput {
		action: LinkActionInput
		heading: String!
		image_url: String
		paragraph: String
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
		# The schema pages: seen exactly, in this order, down to sendMessage's argument names.
		startAgentSession(access_token: String!): StartAgentSessionPayload!
		stopAgentSession: StopAgentSessionPayload!
		addTags(channel_id: ID!, tags: [String!]!): AddTagsPayload!
		inviteAgent(agent_id: ID!, channel_id: ID!, leave: Boolean): InviteAgentPayload!
		leaveChannel(channel_id: ID!): LeaveChannelPayload!
		listenVisitorChannel(channel_id: ID!): ListenVisitorChannelPayload!
		# sendMessage: argument names seen; their types (not seen) are the reading of public code (NOTES.md
		# section 1), options the type of Message.options.
		sendMessage(
			backoff: Boolean
			channel_id: ID!
			msg: String!
			msg_id: String
			options: [String!]
		): SendMessagePayload!
		# From here on (not seen) on the schema pages: names from the seeds and public code (NOTES.md section 1).
		sendQuickReplies(
			channel_id: ID!
			fallback: FallbackInput
			msg: String!
			quick_replies: [QuickReplyInput!]!
		): SendQuickRepliesPayload!
		sendButtonTemplate(
			buttons: [ButtonInput!]!
			channel_id: ID!
			fallback: FallbackInput
			msg: String!
		): SendButtonTemplatePayload!
		sendPanelTemplate(
			buttons: [ButtonInput!]
			channel_id: ID!
			fallback: FallbackInput
			panel: PanelInput!
		): SendPanelTemplatePayload!
		sendPanelTemplateCarousel(
			channel_id: ID!
			fallback: FallbackInput
			items: [PanelTemplateInput!]!
		): SendPanelTemplateCarouselPayload!
		sendListTemplate(
			buttons: [ButtonInput!]
			channel_id: ID!
			fallback: FallbackInput
			items: [ListItemInput!]!
		): SendListTemplatePayload!
		transferToDepartment(
			channel_id: ID!
			department_id: ID!
			leave: Boolean
		): TransferToDepartmentPayload!
		updateAgentStatus(status: AGENT_STATUS!): UpdateAgentStatusPayload!
		setTypingIndicator(
			backoff: Boolean
			channel_id: ID!
			typing: Boolean!
		): SetTypingIndicatorPayload!
		"The getting-started doc's request payload example shows display_name and visitor_id; the others are (unverified)."
		updateVisitorInfo(
			display_name: String
			email: String
			notes: String
			phone: String
			visitor_id: ID!
		): UpdateVisitorInfoPayload!
	}

	type Subscription {
		message: MessagePayload
		chatActivity(filter: ChatActivityFilter): ChatActivityPayload
	}
`;

/**
 * A reading of the parts the schema pages do not show. Each simulator instance serves one, so the
 * client can be run against every plausible real schema. The seen mutations (startAgentSession,
 * stopAgentSession, addTags, inviteAgent, leaveChannel, listenVisitorChannel) never vary; Booleans,
 * enums and input object types keep their type (only their nullability varies).
 */
export interface SchemaVariant {
	/** Every unseen argument or input field the simulator reads as ID: as 'ID' (default) or as 'String'. */
	unseenIdArgs?: 'ID' | 'String';
	/**
	 * Every unseen String argument or input field (msg, msg_id, text, value, heading, ...): 'String'
	 * (default) or 'ID'. (The Required-by list of ID names no input type, so 'ID' is unlikely for input
	 * fields; it is served to prove a client does not depend on it.)
	 */
	unseenStringArgs?: 'String' | 'ID';
	/**
	 * Unseen arguments and input fields as the simulator reads them ('asIs', default), all nullable, or
	 * all non-null. Only the argument or input field itself changes; list items keep theirs.
	 */
	unseenNullability?: 'asIs' | 'nullable' | 'nonNull';
	/**
	 * Fields the server refuses, as 'Type.field' (e.g. 'Visitor.id', 'Agent.id', 'MemberJoinLog.channel',
	 * 'MemberLeaveLog.channel'): removed from the served schema, so a document selecting them fails
	 * validation with graphql's own "Cannot query field ..." message, as a real server would.
	 */
	refuseFields?: string[];
}

/** The mutations whose argument types the schema pages do not show (conversations-api-schema.md, Mutation). */
const UNSEEN_MUTATIONS: ReadonlySet<string> = new Set([
	'sendMessage',
	'sendQuickReplies',
	'sendButtonTemplate',
	'sendPanelTemplate',
	'sendPanelTemplateCarousel',
	'sendListTemplate',
	'transferToDepartment',
	'setTypingIndicator',
	'updateAgentStatus',
	'updateVisitorInfo',
]);

const baseDocument = parse(BASE_SDL);

/** The input types reachable from the unseen mutations' arguments: every one of them is (not seen). */
const UNSEEN_INPUTS: ReadonlySet<string> = (() => {
	const inputs = new Map<string, readonly InputValueDefinitionNode[]>();
	let mutation: readonly FieldDefinitionNode[] = [];
	for (const definition of baseDocument.definitions) {
		if (definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION)
			inputs.set(definition.name.value, definition.fields ?? []);
		if (definition.kind === Kind.OBJECT_TYPE_DEFINITION && definition.name.value === 'Mutation')
			mutation = definition.fields ?? [];
	}
	const reached = new Set<string>();
	const visit = (values: readonly InputValueDefinitionNode[]) => {
		for (const value of values) {
			const name = namedTypeOf(value.type).name.value;
			if (inputs.has(name) && !reached.has(name)) {
				reached.add(name);
				visit(inputs.get(name) ?? []);
			}
		}
	};
	for (const field of mutation)
		if (UNSEEN_MUTATIONS.has(field.name.value)) visit(field.arguments ?? []);
	return reached;
})();

type NormalizedVariant = Required<SchemaVariant>;

/** The variant with its defaults filled in and its refused fields checked, sorted and deduplicated. */
export function normalizeVariant(variant: SchemaVariant = {}): NormalizedVariant {
	const pick = <T extends string>(value: T | undefined, allowed: readonly T[], name: string): T => {
		if (value === undefined) return allowed[0];
		if (!allowed.includes(value))
			throw new Error(
				`${name} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`,
			);
		return value;
	};
	const refuseFields = variant.refuseFields ?? [];
	if (!Array.isArray(refuseFields)) throw new Error('refuseFields must be a list of "Type.field"');
	for (const coordinate of refuseFields) {
		if (typeof coordinate !== 'string' || !fieldExists(coordinate)) {
			throw new Error(
				`refuseFields: ${JSON.stringify(coordinate)} is not a field of the schema ("Type.field", e.g. "Visitor.id")`,
			);
		}
	}
	return {
		unseenIdArgs: pick(variant.unseenIdArgs, ['ID', 'String'] as const, 'unseenIdArgs'),
		unseenStringArgs: pick(variant.unseenStringArgs, ['String', 'ID'] as const, 'unseenStringArgs'),
		unseenNullability: pick(
			variant.unseenNullability,
			['asIs', 'nullable', 'nonNull'] as const,
			'unseenNullability',
		),
		refuseFields: [...new Set(refuseFields)].sort(),
	};
}

/** The SDL served under `variant` (the default reading when none is given). */
export function conversationsSdl(variant?: SchemaVariant): string {
	return print(variantDocument(normalizeVariant(variant)));
}

const schemas = new Map<string, GraphQLSchema>();

/** The schema served under `variant`, built once per variant (buildASTSchema also checks the SDL). */
export function buildConversationsSchema(variant?: SchemaVariant): GraphQLSchema {
	const normalized = normalizeVariant(variant);
	const key = JSON.stringify(normalized);
	let schema = schemas.get(key);
	if (!schema) {
		schema = buildVariantSchema(normalized);
		schemas.set(key, schema);
	}
	return schema;
}

/** The default reading, as SDL (kept for readers of the simulator's package). */
export const CONVERSATIONS_SDL = conversationsSdl();

function buildVariantSchema(variant: NormalizedVariant): GraphQLSchema {
	const document = variantDocument(variant);
	const schema = buildASTSchema(document);
	const problems = validateSchema(schema).filter(
		(error) => !isRefusedInterfaceField(error.message, variant.refuseFields),
	);
	if (problems.length > 0)
		throw new Error(
			`the schema variant is not a valid schema: ${problems.map((e) => e.message).join(' ')}`,
		);
	if (variant.refuseFields.length === 0) return schema;
	// Refusing e.g. Visitor.id leaves the User interface declaring an id that Visitor lacks: a server
	// that refuses `visitor { id }` is exactly such a schema, so that one inconsistency is accepted.
	return buildASTSchema(document, { assumeValid: true });
}

/** graphql's message for an implementation that lacks an interface field, when that field was refused. */
function isRefusedInterfaceField(message: string, refused: readonly string[]): boolean {
	const match = /^Interface field \w+\.(\w+) expected but (\w+) does not provide it\.$/.exec(
		message,
	);
	return match !== null && refused.includes(`${match[2]}.${match[1]}`);
}

function variantDocument(variant: NormalizedVariant): DocumentNode {
	const refused = new Set(variant.refuseFields);
	const definitions = baseDocument.definitions.map((definition): DefinitionNode => {
		if (
			definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION &&
			UNSEEN_INPUTS.has(definition.name.value)
		) {
			const typeName = definition.name.value;
			return {
				...definition,
				fields: definition.fields?.map((field) =>
					retypeUnseen(field, variant, `${typeName}.${field.name.value}`),
				),
			};
		}
		if (
			definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
			definition.kind === Kind.INTERFACE_TYPE_DEFINITION
		) {
			const typeName = definition.name.value;
			const fields = definition.fields
				?.filter((field) => !refused.has(`${typeName}.${field.name.value}`))
				.map((field) =>
					typeName === 'Mutation' && UNSEEN_MUTATIONS.has(field.name.value)
						? {
								...field,
								arguments: field.arguments?.map((argument) =>
									retypeUnseen(argument, variant, `${field.name.value}.${argument.name.value}`),
								),
							}
						: field,
				);
			return { ...definition, fields } as DefinitionNode;
		}
		return definition;
	});
	return { ...baseDocument, definitions };
}

/**
 * Unseen arguments and input fields that are optional in every reading, so 'nonNull' leaves them
 * nullable: public code leaves them out (NOTES.md section 1: sendMessage with only channel_id and
 * msg, optional msg_id; sendButtonTemplate and sendPanelTemplate without fallback), or they are the
 * optional parts of a card (a panel or list item with only a heading; its buttons). `leave` and
 * `backoff` are nullable where the page shows them (inviteAgent's `leave: Boolean`). As
 * `mutation.argument` or `InputType.field`.
 */
const OPTIONAL_IN_EVERY_READING: ReadonlySet<string> = new Set([
	'sendMessage.backoff',
	'sendMessage.msg_id',
	'sendMessage.options',
	'sendQuickReplies.fallback',
	'sendButtonTemplate.fallback',
	'sendPanelTemplate.buttons',
	'sendPanelTemplate.fallback',
	'sendPanelTemplateCarousel.fallback',
	'sendListTemplate.buttons',
	'sendListTemplate.fallback',
	'transferToDepartment.leave',
	'setTypingIndicator.backoff',
	'FallbackInput.options',
	'PanelInput.paragraph',
	'PanelInput.image_url',
	'PanelInput.action',
	'ListItemInput.paragraph',
	'ListItemInput.image_url',
	'ListItemInput.action',
	'PanelTemplateInput.buttons',
]);

/** An unseen argument or input field, its ID/String type and its own nullability as the variant reads them. */
function retypeUnseen(
	value: InputValueDefinitionNode,
	variant: NormalizedVariant,
	coordinate: string,
): InputValueDefinitionNode {
	const nonNull = value.type.kind === Kind.NON_NULL_TYPE;
	const nullable = swapScalars(
		value.type.kind === Kind.NON_NULL_TYPE ? value.type.type : value.type,
		variant,
	);
	const nonNullWanted =
		variant.unseenNullability === 'nonNull' && !OPTIONAL_IN_EVERY_READING.has(coordinate);
	const wantNonNull = variant.unseenNullability === 'asIs' ? nonNull : nonNullWanted;
	const type: TypeNode = wantNonNull ? { kind: Kind.NON_NULL_TYPE, type: nullable } : nullable;
	return { ...value, type };
}

/** The same type with ID and String (also as list items) as the variant reads them. */
function swapScalars(
	type: NamedTypeNode | ListTypeNode,
	variant: NormalizedVariant,
): NamedTypeNode | ListTypeNode {
	if (type.kind === Kind.NAMED_TYPE) {
		const name = type.name.value;
		const swapped =
			name === 'ID' ? variant.unseenIdArgs : name === 'String' ? variant.unseenStringArgs : name;
		return { ...type, name: { ...type.name, value: swapped } };
	}
	const item = type.type;
	const swappedItem: TypeNode =
		item.kind === Kind.NON_NULL_TYPE
			? { ...item, type: swapScalars(item.type, variant) }
			: swapScalars(item, variant);
	return { ...type, type: swappedItem };
}

function namedTypeOf(type: TypeNode): NamedTypeNode {
	return type.kind === Kind.NAMED_TYPE ? type : namedTypeOf(type.type);
}

function fieldExists(coordinate: string): boolean {
	const [typeName, fieldName, ...rest] = coordinate.split('.');
	if (!typeName || !fieldName || rest.length > 0) return false;
	return baseDocument.definitions.some(
		(d) =>
			(d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION) &&
			d.name.value === typeName &&
			(d.fields ?? []).some((f) => f.name.value === fieldName),
	);
}
