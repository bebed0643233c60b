import { parseArgs } from 'node:util';

import { SCHEMA_VARIANT_HELP, schemaVariantFromFlags } from './conversations/variant-flags';
import { ManualClock, SIM_SUNSHINE, SIM_SUPPORT, SIM_TOKENS, startSimulator } from './index';

const { values } = parseArgs({
	options: {
		port: { type: 'string', default: process.env.ZENDESK_SIM_PORT ?? '4010' },
		host: { type: 'string', default: '127.0.0.1' },
		'manual-clock': { type: 'boolean', default: false },
		quiet: { type: 'boolean', default: false },
		'schema-variant': { type: 'string' },
		'refuse-field': { type: 'string', multiple: true },
		help: { type: 'boolean', default: false },
	},
});

if (values.help) {
	console.log(`Zendesk simulator: the Chat Conversations, Chat REST, Streaming and Sunshine Conversations APIs (and a Support API slice) on loopback.

Usage: npm run sim -- [--port 4010] [--host 127.0.0.1] [--manual-clock] [--quiet]
                      [--schema-variant WORDS] [--refuse-field Type.field ...]

${SCHEMA_VARIANT_HELP}`);
	process.exit(0);
}

async function main(): Promise<void> {
	const schemaVariant = schemaVariantFromFlags(values['schema-variant'], values['refuse-field']);
	const sim = await startSimulator({
		conversations: { schemaVariant },
		host: values.host,
		port: Number(values.port),
		clock: values['manual-clock'] ? new ManualClock(Date.now()) : undefined,
		log: values.quiet ? undefined : (line) => console.log(`[sim] ${line}`),
	});
	const u = sim.urls;
	console.log(`Zendesk simulator listening on ${u.base}

  Chat Conversations API  POST ${u.conversationsHttp}   (startAgentSession; sockets under ${u.conversationsWs})
  Chat REST API           ${u.rest}
  Chat Streaming API      ${u.streaming}
  Sunshine Conversations  ${u.sunshine}/v2/apps/${SIM_SUNSHINE.appId}
  Support API (pickers)   ${u.support}   (n8n's Zendesk credentials: Subdomain ${u.base})
  Control API             ${u.control}   (GET lists the operations)${
		Object.keys(schemaVariant).length > 0
			? `
  Conversations schema    ${JSON.stringify(sim.conversations.control.schemaVariant())}`
			: ''
	}

  Chat OAuth token (bot agent):  ${SIM_TOKENS.bot}
  Sunshine app id / key id / secret:  ${SIM_SUNSHINE.appId} / ${SIM_SUNSHINE.keyId} / ${SIM_SUNSHINE.keySecret}
  Support email / API token:  ${SIM_SUPPORT.email} / ${SIM_SUPPORT.apiToken}

Ctrl-C stops it.`);
	const stop = () => {
		sim.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
