/**
 * The origin tag of this package's Zendesk Messaging nodes: the Zendesk Messaging node opens its
 * client with it (`messagingConnection(this, { originTag: MESSAGING_ORIGIN_TAG })`), so every
 * business message it posts carries `metadata["n8n.origin"]` with this value, and the Zendesk
 * Messaging Trigger drops the messages that carry it (src/messaging/echo-filter.ts), so a bot never
 * answers itself. One value for the whole package, not one per workflow: a reply posted by a
 * sub-workflow, or by another workflow of the same bot, would otherwise start the loop again.
 */
export const MESSAGING_ORIGIN_TAG = 'n8n-nodes-zendesk-chat';
