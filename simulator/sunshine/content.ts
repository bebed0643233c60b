import {
	booleanField,
	integerField,
	isObject,
	isUri,
	Issues,
	metadataField,
	stringField,
	uriField,
	type Json,
} from './validate';

/**
 * Message content, validated as openapi.yaml `content` describes each type and stored in the
 * shape the API answers with: readOnly fields are computed here (the text fallback of carousels,
 * lists and locations, `submitted` of forms) and writeOnly ones (`markdownText`) are converted.
 */
export const CONTENT_TYPES = [
	'text',
	'carousel',
	'file',
	'form',
	'formResponse',
	'image',
	'list',
	'location',
	'template',
] as const;

const TEXT_MAX = 4096;
const ACTIONS = ['buy', 'link', 'locationRequest', 'postback', 'reply', 'webview'];
/** openapi.yaml `actionSubset`: what carousel and list items (and list messages) may carry. */
const ACTION_SUBSET = ['buy', 'link', 'postback', 'webview'];

export function checkContent(value: unknown, issues: Issues, schema?: string): Json | undefined {
	if (!isObject(value)) {
		issues.add('content is required and must be an object');
		return undefined;
	}
	const type = value.type;
	if (typeof type !== 'string' || !(CONTENT_TYPES as readonly string[]).includes(type)) {
		issues.add(
			`content.type must be one of ${CONTENT_TYPES.filter((t) => t !== 'formResponse').join(', ')}`,
		);
		return undefined;
	}
	// openapi.yaml messagePost.schema: with `whatsapp`, "the `content` key is expected to conform to
	// the native WhatsApp schema for sending message templates".
	if (schema === 'whatsapp' && type !== 'template')
		issues.add('content.type must be template when schema is "whatsapp"');
	const content = contentOfType(type, value, issues, schema);
	if (content) checkOpenOnReceive(content, issues);
	return content;
}

function contentOfType(
	type: string,
	value: Json,
	issues: Issues,
	schema?: string,
): Json | undefined {
	switch (type) {
		case 'text':
			return textContent(value, issues);
		case 'image':
		case 'file':
			return mediaContent(type, value, issues);
		case 'carousel':
			return carouselContent(value, issues);
		case 'list':
			return listContent(value, issues);
		case 'form':
			return formContent(value, issues);
		case 'location':
			return locationContent(value, issues);
		case 'template':
			return templateContent(value, issues, schema);
		default:
			// openapi.yaml formResponseMessage: "cannot be sent via the API".
			issues.add('content.type formResponse cannot be sent via the API');
			return undefined;
	}
}

function textContent(value: Json, issues: Issues): Json {
	const out: Json = { type: 'text' };
	const text = stringField(value, 'text', 'content', issues, { max: TEXT_MAX });
	const rich = richText(value, issues);
	const actions = actionsField(value, 'actions', 'content', issues, ACTIONS);
	// openapi.yaml textMessage.text: "Required unless `actions`, `htmlText` or `markdownText` is provided."
	const richGiven = value.htmlText !== undefined || value.markdownText !== undefined;
	if ((text === undefined || text === '') && !richGiven && !actions) {
		issues.add('content.text is required unless actions, htmlText or markdownText is provided');
	}
	assignText(out, text, rich);
	if (actions) out.actions = actions;
	copyBoolean(value, out, 'blockChatInput', issues);
	const payload = stringField(value, 'payload', 'content', issues);
	if (typeof payload === 'string') out.payload = payload;
	return out;
}

function mediaContent(type: 'image' | 'file', value: Json, issues: Issues): Json {
	const out: Json = { type };
	// openapi.yaml imageMessage / fileMessage: mediaUrl `format: uri` (no maxLength, unlike item.mediaUrl);
	// altText maxLength 128; `text` has no maxLength there (only textMessage.text has 4096).
	const mediaUrl = uriField(value, 'mediaUrl', 'content', issues, {
		required: true,
		max: undefined,
	});
	if (typeof mediaUrl === 'string') out.mediaUrl = mediaUrl;
	const altText = stringField(value, 'altText', 'content', issues, { max: 128 });
	const text = stringField(value, 'text', 'content', issues);
	assignText(out, text, richText(value, issues));
	if (typeof altText === 'string') out.altText = altText;
	// openapi.yaml imageMessage / fileMessage altText: "The field will be saved by default with the
	// file name as the value." (Items say so too, but the spec's list-2 example shows items without
	// it, so items keep only what was sent.)
	else if (typeof mediaUrl === 'string' && isUri(mediaUrl)) {
		const name = fileNameOf(mediaUrl);
		if (name) out.altText = name;
	}
	// imageMessage.actions are `action` items (every type, reply included); fileMessage has none.
	if (type === 'image') {
		const actions = actionsField(value, 'actions', 'content', issues, ACTIONS);
		if (actions) out.actions = actions;
	}
	copyBoolean(value, out, 'blockChatInput', issues);
	return out;
}

function carouselContent(value: Json, issues: Issues): Json {
	const items = itemsField(value, issues);
	const out: Json = { type: 'carousel', text: fallbackText(items), items };
	copyBoolean(value, out, 'blockChatInput', issues);
	if (value.displaySettings !== undefined) {
		if (!isObject(value.displaySettings)) issues.add('content.displaySettings must be an object');
		else {
			const ratio = stringField(
				value.displaySettings,
				'imageAspectRatio',
				'content.displaySettings',
				issues,
				{
					oneOf: ['horizontal', 'square'],
				},
			);
			out.displaySettings =
				ratio === undefined || ratio === null ? {} : { imageAspectRatio: ratio };
		}
	}
	return out;
}

function listContent(value: Json, issues: Issues): Json {
	const items = itemsField(value, issues);
	const out: Json = { type: 'list', text: fallbackText(items), items };
	const actions = actionsField(value, 'actions', 'content', issues, ACTION_SUBSET, {
		min: 1,
		max: 10,
	});
	if (actions) out.actions = actions;
	copyBoolean(value, out, 'blockChatInput', issues);
	return out;
}

function formContent(value: Json, issues: Issues): Json {
	const out: Json = { type: 'form', submitted: false };
	const fields = value.fields;
	if (!Array.isArray(fields) || fields.length < 1 || fields.length > 20) {
		issues.add('content.fields must be an array of 1 to 20 fields');
	} else {
		const names = new Set<string>();
		out.fields = fields.map((field, i) => {
			const path = `content.fields[${i}]`;
			if (!isObject(field)) {
				issues.add(`${path} must be an object`);
				return field;
			}
			const kept: Json = {};
			const type = stringField(field, 'type', path, issues, {
				required: true,
				oneOf: ['email', 'select', 'text'],
			});
			const name = stringField(field, 'name', path, issues, { required: true, min: 1, max: 128 });
			const label = stringField(field, 'label', path, issues, { required: true, min: 1, max: 128 });
			const placeholder = stringField(field, 'placeholder', path, issues, { min: 1, max: 128 });
			const minSize = integerField(field, 'minSize', path, issues, { min: 1, max: 256 });
			const maxSize = integerField(field, 'maxSize', path, issues, { min: 1, max: 256 });
			// openapi.yaml `field.format`: integer or decimal, "the format for a text field".
			const format = stringField(field, 'format', path, issues, { oneOf: ['integer', 'decimal'] });
			if (typeof name === 'string') {
				// openapi.yaml `field.name`: "Must be unique per form".
				if (names.has(name)) issues.add(`${path}.name must be unique in the form`);
				names.add(name);
			}
			Object.assign(kept, { type, name, label });
			if (typeof placeholder === 'string') kept.placeholder = placeholder;
			if (typeof minSize === 'number') kept.minSize = minSize;
			if (typeof maxSize === 'number') kept.maxSize = maxSize;
			if (typeof format === 'string') kept.format = format;
			if (type === 'select') kept.options = selectOptions(field, path, issues);
			return kept;
		});
	}
	const text = stringField(value, 'text', 'content', issues);
	if (typeof text === 'string') out.text = text;
	copyBoolean(value, out, 'blockChatInput', issues);
	return out;
}

function selectOptions(field: Json, path: string, issues: Issues): unknown {
	const options = field.options;
	// A select with nothing to choose cannot be answered. (unverified: the spec only caps options at 200)
	if (!Array.isArray(options) || options.length < 1 || options.length > 200) {
		issues.add(`${path}.options must be an array of 1 to 200 options for a select field`);
		return options;
	}
	const names = new Set<string>();
	return options.map((option, j) => {
		if (!isObject(option)) {
			issues.add(`${path}.options[${j}] must be an object`);
			return option;
		}
		const label = stringField(option, 'label', `${path}.options[${j}]`, issues, {
			required: true,
			min: 1,
			max: 128,
		});
		const name = stringField(option, 'name', `${path}.options[${j}]`, issues, {
			required: true,
			min: 1,
			max: 128,
		});
		// openapi.yaml `formOptions` name: "Must be unique per field".
		if (typeof name === 'string') {
			if (names.has(name)) issues.add(`${path}.options[${j}].name must be unique in the field`);
			names.add(name);
		}
		return { label, name };
	});
}

function locationContent(value: Json, issues: Issues): Json {
	const out: Json = { type: 'location' };
	const coordinates = value.coordinates;
	if (
		!isObject(coordinates) ||
		typeof coordinates.lat !== 'number' ||
		typeof coordinates.long !== 'number'
	) {
		issues.add('content.coordinates with numeric lat and long is required');
	} else {
		// The fallback text of openapi.yaml example location-2.
		out.text = `Location shared:\nhttps://maps.google.com/maps?q=${coordinates.lat},${coordinates.long}`;
		out.coordinates = { lat: coordinates.lat, long: coordinates.long };
	}
	if (value.location !== undefined) {
		if (!isObject(value.location)) issues.add('content.location must be an object');
		else {
			const address = stringField(value.location, 'address', 'content.location', issues);
			const name = stringField(value.location, 'name', 'content.location', issues);
			const location: Json = {};
			if (typeof address === 'string') location.address = address;
			if (typeof name === 'string') location.name = name;
			out.location = location;
		}
	}
	copyBoolean(value, out, 'blockChatInput', issues);
	return out;
}

function templateContent(value: Json, issues: Issues, schema?: string): Json {
	// openapi.yaml templateMessage.template: "`schema` must be set to `whatsapp`".
	if (schema !== 'whatsapp') issues.add('content.type template requires schema "whatsapp"');
	if (!isObject(value.template)) issues.add('content.template is required and must be an object');
	const out: Json = { type: 'template', template: value.template };
	copyBoolean(value, out, 'blockChatInput', issues);
	return out;
}

/** openapi.yaml `item`: title 1–128, 1–3 actions of the subset, and optional media. */
function itemsField(value: Json, issues: Issues): Json[] {
	const items = value.items;
	if (!Array.isArray(items) || items.length < 1 || items.length > 10) {
		issues.add('content.items must be an array of 1 to 10 items');
		return [];
	}
	return items.map((item, i) => {
		const path = `content.items[${i}]`;
		if (!isObject(item)) {
			issues.add(`${path} must be an object`);
			return {};
		}
		const out: Json = {};
		out.title = stringField(item, 'title', path, issues, { required: true, min: 1, max: 128 });
		const description = stringField(item, 'description', path, issues, { max: 128 });
		const mediaUrl = uriField(item, 'mediaUrl', path, issues);
		const mediaType = stringField(item, 'mediaType', path, issues, { max: 128 });
		const altText = stringField(item, 'altText', path, issues, { max: 128 });
		const size = stringField(item, 'size', path, issues, { oneOf: ['compact', 'large'] });
		if (typeof description === 'string') out.description = description;
		if (typeof mediaUrl === 'string') out.mediaUrl = mediaUrl;
		if (typeof mediaType === 'string') out.mediaType = mediaType;
		if (typeof altText === 'string') out.altText = altText;
		if (typeof size === 'string') out.size = size;
		out.actions =
			actionsField(item, 'actions', path, issues, ACTION_SUBSET, {
				min: 1,
				max: 3,
				required: true,
			}) ?? [];
		const metadata = metadataField(item, 'metadata', path, issues);
		if (metadata !== undefined) out.metadata = metadata;
		return out;
	});
}

function actionsField(
	obj: Json,
	key: string,
	path: string,
	issues: Issues,
	allowed: string[],
	rule: { min?: number; max?: number; required?: boolean } = {},
): Json[] | undefined {
	const value = obj[key];
	const where = `${path}.${key}`;
	if (value === undefined) {
		if (rule.required) issues.add(`${where} is required`);
		return undefined;
	}
	if (!Array.isArray(value)) {
		issues.add(`${where} must be an array`);
		return undefined;
	}
	if (rule.min !== undefined && value.length < rule.min)
		issues.add(`${where} must have at least ${rule.min} actions`);
	if (rule.max !== undefined && value.length > rule.max)
		issues.add(`${where} must have at most ${rule.max} actions`);
	return value.map((action, i) => checkAction(action, `${where}[${i}]`, issues, allowed));
}

/** openapi.yaml `action`: buy, link, locationRequest, postback, reply, webview and their required fields. */
function checkAction(action: unknown, path: string, issues: Issues, allowed: string[]): Json {
	if (!isObject(action)) {
		issues.add(`${path} must be an object`);
		return {};
	}
	const type = stringField(action, 'type', path, issues, { required: true, oneOf: allowed });
	const out: Json = { type };
	out.text = stringField(action, 'text', path, issues, { required: true });
	const need = (key: string) => {
		const v = stringField(action, key, path, issues, { required: true });
		if (v !== undefined) out[key] = v;
	};
	switch (type) {
		case 'buy': {
			// openapi.yaml `buy`: amount is a required integer, in cents.
			const amount = integerField(action, 'amount', path, issues);
			if (action.amount === undefined)
				issues.add(`${path}.amount is required (an integer, in cents)`);
			else if (typeof amount === 'number') out.amount = amount;
			const currency = stringField(action, 'currency', path, issues);
			if (typeof currency === 'string') out.currency = currency;
			break;
		}
		case 'link':
			need('uri');
			copyBoolean(action, out, 'default', issues, path);
			break;
		case 'postback':
			need('payload');
			break;
		case 'reply': {
			need('payload');
			const iconUrl = stringField(action, 'iconUrl', path, issues);
			if (typeof iconUrl === 'string') out.iconUrl = iconUrl;
			break;
		}
		case 'webview': {
			need('uri');
			need('fallback');
			const size = stringField(action, 'size', path, issues, {
				oneOf: ['compact', 'tall', 'full'],
			});
			if (typeof size === 'string') out.size = size;
			copyBoolean(action, out, 'default', issues, path);
			copyBoolean(action, out, 'openOnReceive', issues, path);
			break;
		}
		default:
			break;
	}
	const metadata = metadataField(action, 'metadata', path, issues);
	if (metadata !== undefined) out.metadata = metadata;
	// openapi.yaml: only `link` and `webview` define extraChannelOptions; elsewhere it is an
	// undeclared property, dropped like any other.
	if ((type === 'link' || type === 'webview') && action.extraChannelOptions !== undefined) {
		const options = extraChannelOptions(
			action.extraChannelOptions,
			`${path}.extraChannelOptions`,
			issues,
		);
		if (options) out.extraChannelOptions = options;
	}
	return out;
}

/** openapi.yaml `extraChannelOptions`: `messenger` with messenger_extensions (boolean) and webview_share_button (`hide`). */
function extraChannelOptions(value: unknown, path: string, issues: Issues): Json | undefined {
	if (!isObject(value)) {
		issues.add(`${path} must be an object`);
		return undefined;
	}
	const out: Json = {};
	if (value.messenger !== undefined) {
		if (!isObject(value.messenger)) {
			issues.add(`${path}.messenger must be an object`);
			return undefined;
		}
		const messenger: Json = {};
		copyBoolean(value.messenger, messenger, 'messenger_extensions', issues, `${path}.messenger`);
		const share = stringField(
			value.messenger,
			'webview_share_button',
			`${path}.messenger`,
			issues,
			{ oneOf: ['hide'] },
		);
		if (typeof share === 'string') messenger.webview_share_button = share;
		out.messenger = messenger;
	}
	return out;
}

/**
 * openapi.yaml `webview.openOnReceive`: "Only one action per message can be set to true." Counted
 * over the message's own actions and its items' actions.
 */
function checkOpenOnReceive(content: Json, issues: Issues): void {
	const actions: unknown[] = [...asArray(content.actions)];
	for (const item of asArray(content.items))
		if (isObject(item)) actions.push(...asArray(item.actions));
	const opening = actions.filter(
		(action) => isObject(action) && action.openOnReceive === true,
	).length;
	if (opening > 1) issues.add('content: only one action per message may set openOnReceive to true');
}

function asArray(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

interface RichText {
	htmlText?: string;
	/** Plain text derived from the rich text, used when no `text` is given. */
	derivedText?: string;
}

/**
 * openapi.yaml `htmlText` / `markdownText`: either one (not both), ≤4096; markdown "will be
 * converted to htmlText upon reception", and "if no text is provided, will be converted to text".
 */
function richText(value: Json, issues: Issues): RichText {
	const html = stringField(value, 'htmlText', 'content', issues, { max: TEXT_MAX });
	const markdown = stringField(value, 'markdownText', 'content', issues, { max: TEXT_MAX });
	if (typeof html === 'string' && typeof markdown === 'string') {
		issues.add('content.htmlText cannot be used with content.markdownText');
		return {};
	}
	if (typeof html === 'string') return { htmlText: html, derivedText: htmlToText(html) };
	if (typeof markdown === 'string') {
		// A minimal conversion: escaped paragraphs. (unverified: Zendesk's renderer is richer)
		const converted = markdown
			.split(/\n{2,}/)
			.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
			.join('');
		if (converted.length > TEXT_MAX)
			issues.add('content.markdownText converts to htmlText longer than 4096 characters');
		return { htmlText: converted, derivedText: markdown };
	}
	return {};
}

function assignText(out: Json, text: string | null | undefined, rich: RichText): void {
	if (typeof text === 'string') out.text = text;
	else if (rich.derivedText !== undefined) out.text = rich.derivedText;
	if (rich.htmlText !== undefined) out.htmlText = rich.htmlText;
}

function copyBoolean(from: Json, to: Json, key: string, issues: Issues, path = 'content'): void {
	const value = booleanField(from, key, path, issues);
	if (value !== undefined) to[key] = value;
}

/** The raw-text fallback of carousels and lists, as in openapi.yaml example carousel-2. */
function fallbackText(items: Json[]): string {
	return items
		.map((item, i) => {
			const lines = [`${i + 1}. ${String(item.title)}`];
			if (typeof item.description === 'string') lines.push(item.description);
			for (const action of (item.actions as Json[]) ?? []) {
				if (action.type === 'link') lines.push(`${String(action.text)}: ${String(action.uri)}`);
			}
			return lines.join('\n');
		})
		.join('\n\n');
}

/** The last path segment of a URL, decoded: `https://example.org/FAQ.pdf` -> `FAQ.pdf`. */
function fileNameOf(url: string): string | undefined {
	const segment = new URL(url).pathname.split('/').pop() ?? '';
	try {
		return decodeURIComponent(segment) || undefined;
	} catch {
		return segment || undefined;
	}
}

function htmlToText(html: string): string {
	return html
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<\/p>\s*<p>/gi, '\n\n')
		.replace(/<[^>]*>/g, '')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, '&')
		.trim();
}

function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;');
}

/**
 * The formResponse a Web Messenger user's answers to a form make (openapi.yaml formResponseMessage:
 * "only supported as responses to form messages on Web Messenger"): `fields` with the answer in
 * `text`, `email` or `select` (openapi.yaml `field`), and `textFallback`, "`label: value` of all
 * fields, each separated by a newline character". Every field must be answered, as the widget
 * requires. (unverified: how a select answer reads in textFallback; its option labels are used)
 */
export function formResponseContent(
	form: Json,
	values: Record<string, unknown>,
	issues: Issues,
): Json {
	const fields = asArray(form.fields).filter(isObject);
	const known = new Set(fields.map((field) => field.name));
	for (const name of Object.keys(values))
		if (!known.has(name)) issues.add(`values.${name} is not a field of the form`);
	const answered: Json[] = [];
	const lines: string[] = [];
	for (const field of fields) {
		const name = String(field.name);
		const label = String(field.label);
		const value = values[name];
		const where = `values.${name}`;
		if (value === undefined) {
			issues.add(`${where} is required`);
			continue;
		}
		const out: Json = { type: field.type, name, label };
		if (field.type === 'select') {
			const options = asArray(field.options).filter(isObject);
			const picked = (Array.isArray(value) ? value : [value]).map((choice) =>
				options.find((option) => option.name === choice),
			);
			if (picked.length === 0 || picked.some((option) => option === undefined)) {
				issues.add(
					`${where} must name options of the field (${options.map((o) => String(o.name)).join(', ')})`,
				);
				continue;
			}
			out.select = picked.map((option) => ({ label: option?.label, name: option?.name }));
			lines.push(`${label}: ${picked.map((option) => String(option?.label)).join(', ')}`);
		} else {
			if (typeof value !== 'string') {
				issues.add(`${where} must be a string`);
				continue;
			}
			const length = [...value].length;
			if (field.type === 'email') {
				// openapi.yaml field.email: 1–128 characters.
				if (length < 1 || length > 128 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value))
					issues.add(`${where} must be an email address of at most 128 characters`);
				out.email = value;
			} else {
				// formMessageField minSize (default 1) / maxSize (default 128); field.text at most 256.
				const min = typeof field.minSize === 'number' ? field.minSize : 1;
				const max = Math.min(typeof field.maxSize === 'number' ? field.maxSize : 128, 256);
				if (length < min || length > max)
					issues.add(`${where} must be ${min} to ${max} characters long`);
				if (field.format === 'integer' && !/^-?\d+$/.test(value))
					issues.add(`${where} must be an integer`);
				if (field.format === 'decimal' && !/^-?\d+(\.\d+)?$/.test(value))
					issues.add(`${where} must be a decimal number`);
				out.text = value;
			}
			lines.push(`${label}: ${value}`);
		}
		answered.push(out);
	}
	return { type: 'formResponse', fields: answered, textFallback: lines.join('\n') };
}
