import {
	NodeConnectionTypes,
	TriggerCloseError,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
} from 'n8n-workflow';

import { chatConnection } from '../shared/connection';
import { toNodeError } from '../shared/errors';
import { EmitQueue } from './helpers/emitQueue';
import { zendeskChatApiTest } from '../shared/credentialTests';
import { loadOptions } from './methods';
import { startConversationsSource } from './sources/conversations';
import { startMetricsSource } from './sources/metrics';
import type { EventSource, SourceHooks } from './sources/source';
import { triggerSettings } from './TriggerSettings';
import { triggerProperties } from './ZendeskChatTriggerDescription';

/** How long closeFunction may take to let go of the session lease, sockets and clients. */
export const CLOSE_TIMEOUT_MS = 5_000;

/**
 * Starts a workflow from Zendesk Chat in real time: chat messages and members joining or leaving
 * (Conversations API, over the agent's one pooled session) and live metrics (Streaming API).
 *
 * Lifecycle (KafkaTrigger v2): settings are checked first; a failure while starting (a refused
 * token, an account without API access) fails the activation; once started, the core recovers from
 * transient faults by itself, a fatal one goes to emitError and a failed event to
 * saveFailedExecution; closeFunction aborts, lets go of everything within a time bound, and turns a
 * teardown failure into a TriggerCloseError warning.
 */
export class ZendeskChatTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zendesk Chat Trigger',
		name: 'zendeskChatTrigger',
		icon: {
			light: 'file:../../icons/zendesk-chat.svg',
			dark: 'file:../../icons/zendesk-chat.dark.svg',
		},
		group: ['trigger'],
		// 1.1: Include Department is off unless added to Options (it was on in 1), so that a new
		// chat's first message does not wait for a Chat REST lookup by default (issue 14).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle:
			'={{ $parameter["event"] === "liveMetrics" ? "Live Metrics" : $parameter["event"] === "chatActivity" ? "Chat Activity" : "Chat Message" }}',
		description:
			'Starts the workflow on Zendesk Chat messages, chat activity or live metrics, in real time',
		defaults: { name: 'Zendesk Chat Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			// Written out here, not shared: n8n's lint checks each node's own list for the testedBy.
			{
				name: 'zendeskChatApi',
				required: true,
				testedBy: 'zendeskChatApiTest',
				displayOptions: { show: { authentication: ['accessToken'] } },
			},
			{
				name: 'zendeskChatOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
		],
		properties: triggerProperties,
	};

	methods = { loadOptions, credentialTest: { zendeskChatApiTest } };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const node = this.getNode();
		const settings = triggerSettings(this);
		const manual = this.getMode() === 'manual';
		const closer = new AbortController();
		const signal = closer.signal;

		let started = false;
		let failedStart: (error: unknown) => void = () => undefined;
		const startupFailure = new Promise<never>((_, reject) => (failedStart = reject));
		startupFailure.catch(() => undefined);

		let source: EventSource | undefined;
		let teardown: Promise<void> | undefined;
		const queue = new EmitQueue(this, {
			waitForExecution: settings.waitForExecution && !manual,
			manual,
			signal,
			onJobFailure: (error) => hooks.eventFailed(error),
		});
		const stopAll = () => {
			closer.abort();
			teardown ??= Promise.all([queue.stopped(), source?.stop()]).then(() => undefined);
			return teardown;
		};
		// n8n calls closeFunction after a manual run's first item, but not after a failed one.
		const endManualRun = () => {
			if (manual)
				stopAll().catch((error: unknown) =>
					this.logger.warn(`Zendesk Chat Trigger: closing failed: ${String(error)}`),
				);
		};

		const hooks: SourceHooks = {
			node,
			logger: this.logger,
			manual,
			push: (job) => queue.push(job),
			fatal: (error) => {
				// After abort it is our own teardown speaking.
				if (signal.aborted) return;
				if (!started) return failedStart(error);
				const nodeError = toNodeError(node, error);
				this.logger.error(`Zendesk Chat Trigger stopped: ${nodeError.message}`, {
					node: node.name,
				});
				this.emitError(nodeError);
				endManualRun();
				closer.abort();
			},
			eventFailed: (error) => {
				if (signal.aborted || !started) return;
				const nodeError = toNodeError(node, error);
				if (typeof this.saveFailedExecution === 'function') this.saveFailedExecution(nodeError);
				else
					this.logger.error(`Zendesk Chat Trigger: an event failed: ${nodeError.message}`, {
						node: node.name,
					});
				endManualRun();
			},
			transient: (error) => {
				this.logger.debug(
					`Zendesk Chat Trigger: recovering from ${error instanceof Error ? error.message : String(error)}`,
					{ node: node.name },
				);
			},
		};

		const starting = (async () => {
			const connection = await chatConnection(this, settings.authentication);
			const start =
				settings.event === 'liveMetrics' ? startMetricsSource : startConversationsSource;
			source = await start(settings, connection, hooks, signal);
		})();
		try {
			await Promise.race([starting, startupFailure]);
		} catch (error) {
			closer.abort();
			await starting.catch(() => undefined);
			await source?.stop().catch(() => undefined);
			throw toNodeError(node, error);
		}
		started = true;
		// One line per activation, so an operator (and the failover e2e) can tell when each workflow's trigger listens.
		if (!manual)
			this.logger.info(
				`Zendesk Chat Trigger "${node.name}" of workflow "${this.getWorkflow().name ?? ''}" is listening`,
				{ node: node.name },
			);

		const closeFunction = async () => {
			closer.abort();
			await starting.catch(() => undefined);
			let timer: NodeJS.Timeout | undefined;
			const timeout = new Promise<never>((_, reject) => {
				timer = setTimeout(
					() => reject(new Error(`closing took longer than ${CLOSE_TIMEOUT_MS} ms`)),
					CLOSE_TIMEOUT_MS,
				);
			});
			try {
				await Promise.race([stopAll(), timeout]);
			} catch (cause) {
				// n8n logs a TriggerCloseError as a warning; any other error would become a WorkflowDeactivationError.
				// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
				throw new TriggerCloseError(node, { cause: cause as Error, level: 'warning' });
			} finally {
				clearTimeout(timer);
			}
		};

		if (manual) return { closeFunction, manualTriggerFunction: async () => queue.open() };
		queue.open();
		return { closeFunction };
	}
}
