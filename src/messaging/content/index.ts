import { InvalidInputError } from '../../shared/errors';
import { quoteValue } from '../../shared/excerpt';
import { checkOpenOnReceive } from './actions';
import { buildCarousel, type CarouselContent } from './carousel';
import { requireObject } from './checks';
import { buildFile, type FileContent } from './file';
import { buildForm, type FormContent } from './form';
import { buildImage, type ImageContent } from './image';
import { buildList, type ListContent } from './list';
import {
	buildLocation,
	buildLocationRequest,
	type LocationContent,
	type LocationRequestContent,
} from './location';
import { buildText, type TextContent } from './text';

export type {
	BuyAction,
	ExtraChannelOptions,
	ItemAction,
	LinkAction,
	LocationRequestAction,
	MessageAction,
	PostbackAction,
	ReplyAction,
	WebviewAction,
} from './actions';
export { ITEM_ACTION_TYPES, MESSAGE_ACTION_TYPES } from './actions';
export type { CarouselContent } from './carousel';
export type { FallbackText } from './fallback';
export type { FileContent } from './file';
export type { FormContent, FormField } from './form';
export type { ImageContent } from './image';
export type { MessageItem } from './item';
export type { ListContent } from './list';
export type { LocationContent, LocationRequestContent } from './location';
export type { TextContent } from './text';
export type { TextFields } from './text-fields';

/** Everything the business can post, checked against the spec (spec: `content`, less formResponse and template). */
export type BusinessContent =
	| TextContent
	| CarouselContent
	| ListContent
	| ImageContent
	| FileContent
	| FormContent
	| LocationRequestContent
	| LocationContent;

const BUILDERS: Record<
	BusinessContent['type'],
	(path: string, content: Record<string, unknown>) => Record<string, unknown>
> = {
	text: buildText,
	carousel: buildCarousel,
	list: buildList,
	image: buildImage,
	file: buildFile,
	form: buildForm,
	locationRequest: buildLocationRequest,
	location: buildLocation,
};

export const BUSINESS_CONTENT_TYPES = Object.keys(BUILDERS) as Array<BusinessContent['type']>;

/**
 * The spec's JSON `content` body for `content`, or InvalidInputError naming the field by its path
 * (`content.items[3].actions`) and the limit it breaks. Nothing is sent; call it to check input early.
 * @param path where the content sits in the caller's input. @default "content"
 */
export function buildContent(content: BusinessContent, path = 'content'): Record<string, unknown> {
	const value = requireObject(path, content, '{type: "text", text: "Hello"}');
	const build = Object.prototype.hasOwnProperty.call(BUILDERS, value.type as string)
		? BUILDERS[value.type as BusinessContent['type']]
		: undefined;
	if (!build) {
		throw new InvalidInputError(
			`${path}.type`,
			`${path}.type must be one of ${BUSINESS_CONTENT_TYPES.join(', ')}, got ${quoteValue(value.type)}`,
		);
	}
	const body = build(path, value);
	checkOpenOnReceive(path, body);
	return body;
}
