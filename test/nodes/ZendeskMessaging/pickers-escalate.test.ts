import type { IDataObject } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../../../simulator';
import { SEED_IDS } from '../../../simulator/support';
import { errorOf, outputOf } from '../../helpers/n8n/harness';
import { NODE_NAME, unique, withoutRequests } from './helpers';
import { escalateNode, pickAll, pickerHarness, type SupportChoice } from './pickers-helpers';

/**
 * Escalations whose ticket fields come from the pickers: the locators' values (From List, By ID,
 * an expression, a workflow saved with plain ids) reach Zendesk as the dataCapture metadata, through
 * n8n-core's engine against the simulator. The Support API is only for the lists: an execution never
 * calls it.
 */
let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.support.control.reset());

const fromList = (value: string, cachedResultName: string) => ({
	__rl: true,
	mode: 'list',
	value,
	cachedResultName,
});
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

async function escalate(parameters: IDataObject, support: SupportChoice, item: IDataObject = {}) {
	const harness = pickerHarness(sim);
	const node = escalateNode({ userExternalId: unique('picker'), ...parameters }, support);
	return await harness.run({ nodes: [node], startNode: NODE_NAME, items: [{ json: item }] });
}

function ticketOf(out: IDataObject) {
	const [ticket] = sim.sunshine.control.tickets({ conversationId: out.conversationId as string });
	return ticket;
}

describe('Escalate with picked ticket fields', () => {
	it('sends what was picked from the lists as the documented dataCapture keys, and the form as ticket_form_id', async () => {
		const harness = pickerHarness(sim);
		const listNode = escalateNode({}, 'apiToken');
		// Values as the editor stores a pick: the first entries the lists offer.
		const first = async (method: Parameters<typeof pickAll>[2], filter?: string) =>
			(await pickAll(harness, listNode, method, filter)).pages[0].results[0];
		const group = await first('searchGroups');
		const assignee = await first('searchAssignees', 'Hopper');
		const brand = await first('searchBrands');
		const organization = await first('searchOrganizations', 'Globex');
		const form = await first('searchTicketForms');
		const field = (await pickAll(harness, listNode, 'searchTicketFields')).pages[0].results.find(
			(r) => r.name === 'Chatbot Session ID',
		)!;
		sim.support.control.clearRequestLog();

		const run = await escalate(
			{
				ticketFields: {
					groupId: fromList(String(group.value), group.name),
					assigneeId: fromList(String(assignee.value), assignee.name),
					brandId: fromList(String(brand.value), brand.name),
					organizationId: fromList(String(organization.value), organization.name),
					ticketFormId: fromList(String(form.value), form.name),
					priority: 'urgent',
					customFields: {
						field: [
							{ id: fromList(String(field.value), field.name), value: '={{ $json.session }}' },
						],
					},
				},
			},
			'apiToken',
			{ session: 'session-42' },
		);
		const [out] = outputOf(run, NODE_NAME);
		const metadata = out.metadata as IDataObject;
		expect(metadata).toEqual({
			'dataCapture.systemField.group_id': String(SEED_IDS.firstGroup),
			'dataCapture.systemField.assignee_id': String(assignee.value),
			'dataCapture.systemField.organization_id': String(organization.value),
			'dataCapture.systemField.brand_id': String(SEED_IDS.firstBrand),
			'dataCapture.systemField.ticket_form_id': String(SEED_IDS.firstTicketForm),
			'dataCapture.systemField.priority': 'urgent',
			[`dataCapture.ticketField.${SEED_IDS.firstTicketField + 10}`]: 'session-42',
			first_message_id: out.firstMessageId,
		});
		expect(ticketOf(out).systemFields).toEqual({
			group_id: String(SEED_IDS.firstGroup),
			assignee_id: String(assignee.value),
			organization_id: String(organization.value),
			brand_id: String(SEED_IDS.firstBrand),
			ticket_form_id: String(SEED_IDS.firstTicketForm),
			priority: 'urgent',
		});
		expect(ticketOf(out).ticketFields).toEqual({
			[String(SEED_IDS.firstTicketField + 10)]: 'session-42',
		});
		// The execution itself never asks the Support API.
		expect(sim.support.control.requestLog()).toEqual([]);
	});

	it('takes By ID values and expressions without any Support credential', async () => {
		const run = await escalate(
			{
				ticketFields: {
					groupId: byId('360000100002'),
					assigneeId: { __rl: true, mode: 'id', value: '={{ $json.agent }}' },
					customFields: { field: [{ id: byId('360012345678'), value: 'order-42' }] },
				},
			},
			'none',
			{ agent: 362000000015 },
		);
		const [out] = outputOf(run, NODE_NAME);
		expect(ticketOf(out).systemFields).toEqual({
			group_id: '360000100002',
			assignee_id: '362000000015',
		});
		expect(ticketOf(out).ticketFields).toEqual({ '360012345678': 'order-42' });
		expect(sim.support.control.requestLog()).toEqual([]);
	});

	it('reads a workflow saved when the ids were plain text fields the same way', async () => {
		const run = await escalate(
			{
				ticketFields: {
					groupId: '360000100003',
					brandId: '360000200002',
					organizationId: 360000300004,
					customFields: { field: [{ id: '360012345678', value: 'x' }] },
				},
			},
			'none',
		);
		const [out] = outputOf(run, NODE_NAME);
		expect(ticketOf(out).systemFields).toEqual({
			group_id: '360000100003',
			brand_id: '360000200002',
			organization_id: '360000300004',
		});
		expect(ticketOf(out).ticketFields).toEqual({ '360012345678': 'x' });
	});

	it('leaves out a locator left empty', async () => {
		const run = await escalate(
			{
				ticketFields: { groupId: { __rl: true, mode: 'list', value: '' }, ticketFormId: byId('') },
			},
			'apiToken',
		);
		const [out] = outputOf(run, NODE_NAME);
		expect(ticketOf(out).systemFields).toEqual({});
	});

	it('refuses an id that is not a number before anything is sent, naming the field as the editor shows it', async () => {
		const run = await withoutRequests(sim, () =>
			escalate({ ticketFields: { ticketFormId: byId('refunds') } }, 'none'),
		);
		expect(errorOf(run, NODE_NAME)).toMatchObject({
			name: 'NodeOperationError',
			message: 'Ticket Form: ticket.ticketFormId must be a positive integer id, got "refunds"',
			description:
				'Field: Ticket Form (ticket.ticketFormId). Copy the numeric id from Zendesk Admin Center.',
		});
	});
});

describe('Summary', () => {
	it.each([
		['spaces', '   '],
		['a tab and a newline', '\t\n'],
		['non-breaking spaces', '\u00a0\u00a0'],
	])(
		'of only %s is refused before anything is sent, naming the Summary field',
		async (_what, summary) => {
			const run = await withoutRequests(sim, () =>
				escalate({ summary: '={{ $json.summary }}' }, 'none', { summary }),
			);
			expect(errorOf(run, NODE_NAME)).toMatchObject({
				name: 'NodeOperationError',
				message: 'Summary: summary must contain some text, got only whitespace',
				description: 'Field: Summary (summary). Write what the reader needs to know.',
			});
		},
	);

	it('with words around spaces goes through as written', async () => {
		const run = await escalate({ summary: '  Refund please  ' }, 'none');
		const [out] = outputOf(run, NODE_NAME);
		expect((out.messages as Array<{ content: { text: string } }>)[0].content.text).toBe(
			'  Refund please  ',
		);
	});
});
