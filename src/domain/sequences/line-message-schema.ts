import { z } from 'zod';

/*
 * The LINE message objects a step may send, with the limits LINE enforces, so that a file that
 * passes the check is not refused at send time. Shapes and limits from the Messaging API reference
 * (https://developers.line.biz/en/reference/messaging-api/#message-objects) and the vendored
 * OpenAPI spec the fake LINE validates against (adapters/line/fake/openapi/messaging-api.yml);
 * the spec is a test fixture, so the rules are written out here instead of read from it.
 */

// https://developers.line.biz/en/reference/messaging-api/#image-message: HTTPS, at most 2000 characters.
const httpsUrl = z.url({ protocol: /^https$/, message: 'must be an https:// URL' }).max(2000);
const actionUri = z
  .string()
  .max(1000)
  .regex(/^(https?:\/\/|tel:|line:\/\/)\S+$/, 'must be an http(s)://, tel: or line:// URI');
const label = z.string().min(1).max(20);

// https://developers.line.biz/en/reference/messaging-api/#action-objects
const postbackAction = z.strictObject({
  type: z.literal('postback'),
  label,
  data: z.string().min(1).max(300),
  displayText: z.string().min(1).max(300).optional(),
});
const messageAction = z.strictObject({ type: z.literal('message'), label, text: z.string().min(1).max(300) });
const uriAction = z.strictObject({ type: z.literal('uri'), label, uri: actionUri });
const action = z.discriminatedUnion('type', [postbackAction, messageAction, uriAction], {
  error: 'action type must be postback, message or uri',
});

// https://developers.line.biz/en/reference/messaging-api/#quick-reply: at most 13 buttons.
const quickReply = z.strictObject({
  items: z
    .array(z.strictObject({ type: z.literal('action'), imageUrl: httpsUrl.optional(), action }))
    .min(1)
    .max(13),
});
const common = {
  quickReply: quickReply.optional(),
  sender: z
    .strictObject({ name: z.string().min(1).max(20).optional(), iconUrl: httpsUrl.optional() })
    .optional(),
};

const textMessage = z.strictObject({ type: z.literal('text'), text: z.string().min(1).max(5000), ...common });
const imageMessage = z.strictObject({
  type: z.literal('image'),
  originalContentUrl: httpsUrl,
  previewImageUrl: httpsUrl,
  ...common,
});
// Sticker ids are strings in the API; quote them in YAML ("446").
const PACKAGE_ID = 'must be a sticker package id in quotes, such as "446"';
const STICKER_ID = 'must be a sticker id in quotes, such as "1988"';
const stickerMessage = z.strictObject({
  type: z.literal('sticker'),
  packageId: z.string({ error: PACKAGE_ID }).regex(/^\d+$/, PACKAGE_ID),
  stickerId: z.string({ error: STICKER_ID }).regex(/^\d+$/, STICKER_ID),
  ...common,
});

// https://developers.line.biz/en/reference/messaging-api/#template-messages
const buttonsTemplate = z.strictObject({
  type: z.literal('buttons'),
  thumbnailImageUrl: httpsUrl.optional(),
  imageAspectRatio: z.enum(['rectangle', 'square']).optional(),
  imageSize: z.enum(['cover', 'contain']).optional(),
  title: z.string().min(1).max(40).optional(),
  // 160 characters, or 60 with an image or a title.
  text: z.string().min(1).max(160),
  actions: z.array(action).min(1).max(4),
});
const confirmTemplate = z.strictObject({
  type: z.literal('confirm'),
  text: z.string().min(1).max(240),
  actions: z.array(action).length(2),
});
const carouselColumn = z.strictObject({
  thumbnailImageUrl: httpsUrl.optional(),
  title: z.string().min(1).max(40).optional(),
  text: z.string().min(1).max(120),
  actions: z.array(action).min(1).max(3),
});
const carouselTemplate = z.strictObject({
  type: z.literal('carousel'),
  columns: z.array(carouselColumn).min(1).max(10),
  imageAspectRatio: z.enum(['rectangle', 'square']).optional(),
  imageSize: z.enum(['cover', 'contain']).optional(),
});
const imageCarouselTemplate = z.strictObject({
  type: z.literal('image_carousel'),
  columns: z
    .array(z.strictObject({ imageUrl: httpsUrl, action }))
    .min(1)
    .max(10),
});
const templateMessage = z.strictObject({
  type: z.literal('template'),
  altText: z.string().min(1).max(400),
  template: z
    .discriminatedUnion('type', [buttonsTemplate, confirmTemplate, carouselTemplate, imageCarouselTemplate], {
      error: 'template type must be buttons, confirm, carousel or image_carousel',
    })
    .superRefine((template, ctx) => {
      if (
        template.type === 'buttons' &&
        (template.thumbnailImageUrl || template.title) &&
        template.text.length > 60
      )
        ctx.addIssue({
          code: 'custom',
          path: ['text'],
          message: 'must be at most 60 characters when the template has an image or a title',
        });
    }),
  ...common,
});

// https://developers.line.biz/en/reference/messaging-api/#flex-message: the container's inner
// layout is LINE's to judge; the check keeps to the envelope.
const flexBubble = z.looseObject({ type: z.literal('bubble') });
const flexMessage = z.strictObject({
  type: z.literal('flex'),
  altText: z.string().min(1).max(1500),
  contents: z.discriminatedUnion(
    'type',
    [
      flexBubble,
      z.looseObject({ type: z.literal('carousel'), contents: z.array(flexBubble).min(1).max(12) }),
    ],
    { error: 'contents type must be bubble or carousel' },
  ),
  ...common,
});

export const lineMessageSchema = z.discriminatedUnion(
  'type',
  [textMessage, imageMessage, stickerMessage, templateMessage, flexMessage],
  { error: 'type must be text, image, sticker, template or flex' },
);

export type LineMessage = z.infer<typeof lineMessageSchema>;
