import { z } from 'zod';

import {
	argumentList,
	enumLiteral,
	listLiteral,
	objectLiteral,
	optionalString,
	stringLiteral,
} from '../literals';
import type { Operation } from '../operation';
import { actionMutation, type ActionResult } from './action';
import { httpUrl, list, optionalText, parseInput, relayId, text } from './validate';

/**
 * The five structured messages (changelog 27 February 2019; limits from Zendesk article
 * 4408831142554, NOTES.md section 1): quick replies ≤ 11, button template 1–3 buttons, carousel
 * 2–10 items, list template 2–4 items and ≤ 1 button. Widgets that cannot show them (the native
 * mobile SDKs) show the plain-text `fallback`, so one is always sent: the caller's, or one made
 * from the message's own text.
 */

export interface QuickReply {
	/** The label on the chip. */
	text: string;
	/** What the visitor "says" when picking it. @default the label */
	value?: string;
}

export interface Button {
	text: string;
	/** `reply`: picking it sends `value` as the visitor's reply; `link`: opens the URL in `value`. */
	action: 'reply' | 'link';
	value: string;
}

export interface Panel {
	heading: string;
	paragraph?: string;
	/** An http(s) image shown on the panel. */
	imageUrl?: string;
	/** An http(s) URL opened when the panel is clicked. */
	linkUrl?: string;
}

export interface Fallback {
	/** The plain-text version of the message. */
	message: string;
	/** The choices, listed under it. */
	options?: string[];
}

export interface SendQuickRepliesInput {
	channelId: string;
	message: string;
	quickReplies: QuickReply[];
	fallback?: Fallback;
}

export interface SendButtonTemplateInput {
	channelId: string;
	message: string;
	buttons: Button[];
	fallback?: Fallback;
}

export interface SendPanelTemplateInput {
	channelId: string;
	panel: Panel;
	buttons?: Button[];
	fallback?: Fallback;
}

export interface CarouselItem {
	panel: Panel;
	buttons?: Button[];
}

export interface SendPanelTemplateCarouselInput {
	channelId: string;
	items: CarouselItem[];
	fallback?: Fallback;
}

export interface SendListTemplateInput {
	channelId: string;
	items: Panel[];
	buttons?: Button[];
	fallback?: Fallback;
}

export const STRUCTURED_LIMITS = {
	quickReplies: { min: 1, max: 11 },
	templateButtons: { min: 1, max: 3 },
	panelButtons: { min: 0, max: 3 },
	carouselItems: { min: 2, max: 10 },
	listItems: { min: 2, max: 4 },
	listButtons: { min: 0, max: 1 },
} as const;

const quickReplySchema = z.object({ text: text('text'), value: optionalText('value') }).strict();

const buttonSchema = z
	.object({
		text: text('text'),
		action: z.enum(['reply', 'link'], {
			errorMap: () => ({ message: 'action must be "reply" or "link"' }),
		}),
		value: text('value'),
	})
	.strict()
	.superRefine((button, ctx) => {
		if (button.action === 'link' && !httpUrl('value').safeParse(button.value).success) {
			ctx.addIssue({
				code: 'custom',
				path: ['value'],
				message: 'a link button needs an absolute http(s) URL as its value',
			});
		}
	});

const panelSchema = z
	.object({
		heading: text('heading'),
		paragraph: optionalText('paragraph'),
		imageUrl: httpUrl('imageUrl').optional(),
		linkUrl: httpUrl('linkUrl').optional(),
	})
	.strict();

const fallbackSchema = z
	.object({
		message: text('message'),
		options: z
			.array(text('an option'), { invalid_type_error: 'options must be a list of strings' })
			.optional(),
	})
	.strict()
	.optional();

function buttons(what: string, limits: { min: number; max: number }) {
	return list(buttonSchema, what, limits.min, limits.max);
}

const L = STRUCTURED_LIMITS;

const quickRepliesInput = z
	.object({
		channelId: relayId('channelId'),
		message: text('message'),
		quickReplies: list(quickReplySchema, 'quickReplies', L.quickReplies.min, L.quickReplies.max),
		fallback: fallbackSchema,
	})
	.strict();

const buttonTemplateInput = z
	.object({
		channelId: relayId('channelId'),
		message: text('message'),
		buttons: buttons('buttons', L.templateButtons),
		fallback: fallbackSchema,
	})
	.strict();

const panelTemplateInput = z
	.object({
		channelId: relayId('channelId'),
		panel: panelSchema,
		buttons: buttons('buttons', L.panelButtons).optional(),
		fallback: fallbackSchema,
	})
	.strict();

const carouselInput = z
	.object({
		channelId: relayId('channelId'),
		items: list(
			z
				.object({ panel: panelSchema, buttons: buttons('buttons', L.panelButtons).optional() })
				.strict(),
			'items',
			L.carouselItems.min,
			L.carouselItems.max,
		),
		fallback: fallbackSchema,
	})
	.strict();

const listTemplateInput = z
	.object({
		channelId: relayId('channelId'),
		items: list(panelSchema, 'items', L.listItems.min, L.listItems.max),
		buttons: buttons('buttons', L.listButtons).optional(),
		fallback: fallbackSchema,
	})
	.strict();

type ValidButton = z.output<typeof buttonSchema>;
type ValidPanel = z.output<typeof panelSchema>;

// ---- document fragments: every text an escaped string literal, every enum a checked literal ----

function buttonList(list: ValidButton[]): string {
	return listLiteral(
		list.map((b) =>
			objectLiteral({
				text: stringLiteral(b.text),
				action: objectLiteral({
					type: enumLiteral(b.action === 'link' ? 'LINK_ACTION' : 'QUICK_REPLY_ACTION'),
					value: stringLiteral(b.value),
				}),
			}),
		),
	);
}

function panelObject(panel: ValidPanel): string {
	return objectLiteral({
		heading: stringLiteral(panel.heading),
		paragraph: optionalString(panel.paragraph),
		image_url: optionalString(panel.imageUrl),
		action:
			panel.linkUrl === undefined
				? undefined
				: objectLiteral({ value: stringLiteral(panel.linkUrl) }),
	});
}

function fallbackObject(fallback: Fallback): string {
	const options = fallback.options ?? [];
	return objectLiteral({
		msg: stringLiteral(fallback.message),
		options: options.length > 0 ? listLiteral(options.map(stringLiteral)) : undefined,
	});
}

/** The optional buttons of panels and lists: left out when there are none. */
function optionalButtons(list: ValidButton[] | undefined): string | undefined {
	return list && list.length > 0 ? buttonList(list) : undefined;
}

// ---- generated fallbacks -------------------------------------------------------------------------

function describePanel(panel: ValidPanel): string {
	return [panel.heading, panel.paragraph, panel.linkUrl]
		.filter((part) => part !== undefined)
		.join(' - ');
}

function buttonLabels(list: ValidButton[] = []): string[] {
	return [...new Set(list.map((b) => (b.action === 'link' ? `${b.text}: ${b.value}` : b.text)))];
}

function withOptions(message: string, options: string[]): Fallback {
	return options.length > 0 ? { message, options } : { message };
}

// ---- operations ----------------------------------------------------------------------------------

/** `sendQuickReplies`: a message with up to 11 reply chips. @throws InvalidInputError */
export function sendQuickReplies(input: SendQuickRepliesInput): Operation<ActionResult> {
	const valid = parseInput('sendQuickReplies', quickRepliesInput, input);
	const replies = valid.quickReplies.map((qr) =>
		objectLiteral({
			text: stringLiteral(qr.text),
			action: objectLiteral({ value: stringLiteral(qr.value ?? qr.text) }),
		}),
	);
	const fallback =
		valid.fallback ??
		withOptions(
			valid.message,
			valid.quickReplies.map((qr) => qr.text),
		);
	const args = argumentList({
		channel_id: stringLiteral(valid.channelId),
		msg: stringLiteral(valid.message),
		quick_replies: listLiteral(replies),
		fallback: fallbackObject(fallback),
	});
	return actionMutation('SendQuickReplies', 'sendQuickReplies', args, false);
}

/** `sendButtonTemplate`: a message with 1 to 3 buttons. @throws InvalidInputError */
export function sendButtonTemplate(input: SendButtonTemplateInput): Operation<ActionResult> {
	const valid = parseInput('sendButtonTemplate', buttonTemplateInput, input);
	const fallback = valid.fallback ?? withOptions(valid.message, buttonLabels(valid.buttons));
	const args = argumentList({
		channel_id: stringLiteral(valid.channelId),
		msg: stringLiteral(valid.message),
		buttons: buttonList(valid.buttons),
		fallback: fallbackObject(fallback),
	});
	return actionMutation('SendButtonTemplate', 'sendButtonTemplate', args, false);
}

/** `sendPanelTemplate`: one card (heading, paragraph, image, link) with up to 3 buttons. @throws InvalidInputError */
export function sendPanelTemplate(input: SendPanelTemplateInput): Operation<ActionResult> {
	const valid = parseInput('sendPanelTemplate', panelTemplateInput, input);
	const fallback =
		valid.fallback ?? withOptions(describePanel(valid.panel), buttonLabels(valid.buttons));
	const args = argumentList({
		channel_id: stringLiteral(valid.channelId),
		panel: panelObject(valid.panel),
		buttons: optionalButtons(valid.buttons),
		fallback: fallbackObject(fallback),
	});
	return actionMutation('SendPanelTemplate', 'sendPanelTemplate', args, false);
}

/** `sendPanelTemplateCarousel`: 2 to 10 cards side by side. @throws InvalidInputError */
export function sendPanelTemplateCarousel(
	input: SendPanelTemplateCarouselInput,
): Operation<ActionResult> {
	const valid = parseInput('sendPanelTemplateCarousel', carouselInput, input);
	const fallback =
		valid.fallback ??
		withOptions(
			valid.items.map((item, i) => `${i + 1}. ${describePanel(item.panel)}`).join('\n'),
			buttonLabels(valid.items.flatMap((item) => item.buttons ?? [])),
		);
	const items = valid.items.map((item) =>
		objectLiteral({ panel: panelObject(item.panel), buttons: optionalButtons(item.buttons) }),
	);
	const args = argumentList({
		channel_id: stringLiteral(valid.channelId),
		items: listLiteral(items),
		fallback: fallbackObject(fallback),
	});
	return actionMutation('SendPanelTemplateCarousel', 'sendPanelTemplateCarousel', args, false);
}

/** `sendListTemplate`: 2 to 4 rows and at most 1 button. @throws InvalidInputError */
export function sendListTemplate(input: SendListTemplateInput): Operation<ActionResult> {
	const valid = parseInput('sendListTemplate', listTemplateInput, input);
	const fallback =
		valid.fallback ??
		withOptions(
			valid.items.map((item, i) => `${i + 1}. ${describePanel(item)}`).join('\n'),
			buttonLabels(valid.buttons),
		);
	const args = argumentList({
		channel_id: stringLiteral(valid.channelId),
		items: listLiteral(valid.items.map(panelObject)),
		buttons: optionalButtons(valid.buttons),
		fallback: fallbackObject(fallback),
	});
	return actionMutation('SendListTemplate', 'sendListTemplate', args, false);
}
