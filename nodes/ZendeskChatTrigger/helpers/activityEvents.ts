import type { IDataObject } from 'n8n-workflow';

import type { ChatActivityEvent } from '../../../src/conversations';
import type { ActivitySettings } from '../TriggerSettings';
import type { EmitJob } from './emitQueue';

const TYPE_OF: Record<string, 'memberJoin' | 'memberLeave'> = {
	MemberJoinLog: 'memberJoin',
	MemberLeaveLog: 'memberLeave',
};

/**
 * Chat Activity events (the subscription already asks only for the chosen activity types): the
 * member filter, then one item per event.
 */
export function activityJob(
	event: ChatActivityEvent,
	settings: ActivitySettings,
	keyPrefix: string,
	now = Date.now(),
): EmitJob | undefined {
	const memberType = event.user?.__typename ?? null;
	if (settings.member !== 'any' && memberType?.toLowerCase() !== settings.member) return undefined;
	const item: IDataObject = {
		event: 'chatActivity',
		type: TYPE_OF[event.__typename] ?? event.__typename,
		activityId: event.id,
		channelId: event.channel?.id ?? null,
		member: {
			type: memberType === null ? null : memberType.toLowerCase(),
			id: event.user?.id ?? null,
			name: event.user?.display_name ?? event.user_name ?? null,
		},
		receivedAt: new Date(now).toISOString(),
	};
	return () => ({ items: [item], deduplicationKey: `${keyPrefix}:activity:${event.id}` });
}
