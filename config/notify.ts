import { z } from 'zod';

/**
 * Where a team's failure alerts go (`teams[].notify`, decision 20): each entry names exactly one
 * destination. Every alert starts at the team's own SNS topic (the `teams` stack); from there:
 *
 * - `email`: an SNS email subscription (the address confirms it once, from the mail SNS sends);
 * - `snsTopicArn`: an existing topic (a chat integration, a pager), a second target of the
 *   team's EventBridge rule; that topic's policy must let `events.amazonaws.com` publish;
 * - `webhook`: an HTTPS endpoint called by an EventBridge API destination. Its credential is
 *   referenced, never committed: `secret` names an AWS Secrets Manager secret (ARN or name) whose
 *   value becomes the `header` of each call. Terraform reads it at apply time, so it lives in
 *   Secrets Manager and the Terraform state, never in git or `dist/`.
 */

const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;
/** https only, a host, an optional port and path; no user info, query or fragment (where credentials hide). */
const WEBHOOK_URL = /^https:\/\/[A-Za-z0-9.-]+(?::\d+)?(?:\/[A-Za-z0-9._~%!$&()*+,;=:@/-]*)?$/;
const SECRET_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/** An HTTP header name (RFC 9110 token). */
const HEADER = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const webhookSchema = z.strictObject({
  /** Where EventBridge POSTs the alert (JSON). Committed, so it carries no credential. */
  url: z.string().regex(WEBHOOK_URL, {
    message:
      'must be an https URL without user info, query string or fragment, such as https://alerts.example.com/hooks/emr (a token goes into the referenced secret, not the URL)',
  }),
  /** AWS Secrets Manager secret (ARN or name) whose string value is sent in `header`. */
  secret: z.string().refine((value) => SECRET_ARN.test(value) || SECRET_NAME.test(value), {
    message:
      'must be an AWS Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>) or name; the secret itself is never written in the config',
  }),
  /** The header the secret's value is sent in. */
  header: z
    .string()
    .regex(HEADER, { message: 'must be an HTTP header name such as Authorization' })
    .default('Authorization'),
});

export const notifyTargetSchema = z
  .strictObject({
    /** An address SNS mails each alert to. */
    email: z
      .string()
      .regex(EMAIL, { message: 'must be an email address such as data-team@example.com' })
      .optional(),
    /** An existing SNS topic the alert is also published to. */
    snsTopicArn: z
      .string()
      .regex(SNS_TOPIC_ARN, {
        message: 'must be an SNS topic ARN such as arn:aws:sns:us-west-2:111122223333:data-alerts',
      })
      .optional(),
    /** An HTTPS endpoint with a referenced credential. */
    webhook: webhookSchema.optional(),
  })
  .superRefine((target, context) => {
    const set = (['email', 'snsTopicArn', 'webhook'] as const).filter((key) => target[key] !== undefined);
    if (set.length !== 1)
      context.addIssue({
        code: 'custom',
        message:
          set.length === 0
            ? 'names no destination: give one of email, snsTopicArn or webhook'
            : `names ${set.join(' and ')}: give exactly one destination per entry (one list entry each)`,
      });
  });

export type NotifyTarget = z.output<typeof notifyTargetSchema>;
export type Webhook = z.output<typeof webhookSchema>;
