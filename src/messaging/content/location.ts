import { InvalidInputError } from '../../shared/errors';
import { quoteValue } from '../../shared/excerpt';
import {
	at,
	buttonText,
	dropUndefined,
	messageText,
	onlyKeys,
	optionalBoolean,
	requireObject,
} from './checks';

/**
 * Asks the user for their location: a text message with one locationRequest action (spec:
 * textMessage + locationRequest; the spec has no message type of its own for it).
 */
export interface LocationRequestContent {
	type: 'locationRequest';
	/** The message, 1–4096 characters. */
	text: string;
	/** The button. @default "Share location" */
	buttonText?: string;
	blockChatInput?: boolean;
}

/** A place on the map (spec: locationMessage). */
export interface LocationContent {
	type: 'location';
	coordinates: { lat: number; long: number };
	location?: { name?: string; address?: string };
	blockChatInput?: boolean;
}

export function buildLocationRequest(
	path: string,
	content: Record<string, unknown>,
): Record<string, unknown> {
	onlyKeys(path, content, ['type', 'text', 'buttonText', 'blockChatInput'], 'a location request');
	const text = messageText(at(path, 'text'), content.text);
	const button =
		content.buttonText === undefined
			? 'Share location'
			: buttonText(at(path, 'buttonText'), content.buttonText);
	return dropUndefined({
		type: 'text',
		text,
		actions: [{ type: 'locationRequest', text: button }],
		blockChatInput: optionalBoolean(at(path, 'blockChatInput'), content.blockChatInput),
	});
}

export function buildLocation(
	path: string,
	content: Record<string, unknown>,
): Record<string, unknown> {
	onlyKeys(
		path,
		content,
		['type', 'coordinates', 'location', 'blockChatInput'],
		'a location message',
	);
	const coordinates = requireObject(
		at(path, 'coordinates'),
		content.coordinates,
		'{lat: 45.5261583, long: -73.595346}',
	);
	onlyKeys(at(path, 'coordinates'), coordinates, ['lat', 'long'], 'coordinates');
	let location: Record<string, unknown> | undefined;
	if (content.location !== undefined) {
		const place = requireObject(at(path, 'location'), content.location, '{name, address}');
		onlyKeys(at(path, 'location'), place, ['name', 'address'], 'location');
		location = dropUndefined({
			name:
				place.name === undefined
					? undefined
					: buttonText(at(at(path, 'location'), 'name'), place.name),
			address:
				place.address === undefined
					? undefined
					: buttonText(at(at(path, 'location'), 'address'), place.address),
		});
	}
	return dropUndefined({
		type: 'location',
		// Spec locationMessage.coordinates: lat and long required.
		coordinates: {
			lat: degrees(at(at(path, 'coordinates'), 'lat'), coordinates.lat, 90),
			long: degrees(at(at(path, 'coordinates'), 'long'), coordinates.long, 180),
		},
		location,
		blockChatInput: optionalBoolean(at(path, 'blockChatInput'), content.blockChatInput),
	});
}

function degrees(path: string, value: unknown, bound: number): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > bound) {
		throw new InvalidInputError(
			path,
			`${path} must be a number from -${bound} to ${bound}, got ${quoteValue(value)}`,
		);
	}
	return value;
}
