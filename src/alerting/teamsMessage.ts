import type { Severity } from '../domain/alerts.js';
import { type Fact, factsOf } from './notificationContent.js';
import type { NotificationContent } from '../domain/delivery.js';

/** The Adaptive Card schema version Power Automate's "Post card in a chat or channel" action renders. */
export const ADAPTIVE_CARD_VERSION = '1.4';
/** Teams refuses messages over about 28 KB; stay under with room for the flow's own wrapping. */
export const TEAMS_MAX_BYTES = 27 * 1024;

const COLOURS: Readonly<Record<Severity, 'Attention' | 'Warning' | 'Accent' | 'Default'>> = {
  critical: 'Attention',
  high: 'Attention',
  medium: 'Warning',
  low: 'Accent',
};
const STYLES: Readonly<Record<Severity, 'attention' | 'warning' | 'accent' | 'emphasis'>> = {
  critical: 'attention',
  high: 'attention',
  medium: 'warning',
  low: 'emphasis',
};

/** How much of each part a card shows; shrunk step by step until the message fits. */
interface Limits {
  readonly textLength: number;
  readonly others: number;
  readonly digestLines: number;
}

const LIMIT_STEPS: readonly Limits[] = [
  { textLength: 600, others: 5, digestLines: 20 },
  { textLength: 300, others: 3, digestLines: 10 },
  { textLength: 120, others: 1, digestLines: 5 },
  { textLength: 60, others: 0, digestLines: 0 },
];

/**
 * A Teams message for a Workflows webhook: `type: message` with one Adaptive Card attachment (no
 * `Action.Submit`, which webhooks do not support). Attacker-controlled text (user agents, UPNs, URIs) cannot
 * form markdown links. Always under `TEAMS_MAX_BYTES`, however large the evidence.
 */
export function formatTeamsMessage(content: NotificationContent): Record<string, unknown> {
  for (const limits of LIMIT_STEPS) {
    const message = messageOf(content, limits);
    if (Buffer.byteLength(JSON.stringify(message), 'utf8') <= TEAMS_MAX_BYTES) return message;
  }
  throw new RangeError('a Teams card does not fit in 28 KB even at its smallest');
}

function messageOf(content: NotificationContent, limits: Limits): Record<string, unknown> {
  const text = (value: string) => plain(value, limits.textLength);
  const body: Record<string, unknown>[] = [
    {
      type: 'Container',
      style: STYLES[content.severity],
      bleed: true,
      items: [
        {
          type: 'TextBlock',
          text: text(`${content.kind === 'test' ? 'TEST · ' : ''}${content.severity.toUpperCase()} · ${content.heading}`),
          weight: 'Bolder',
          size: 'Medium',
          color: COLOURS[content.severity],
          wrap: true,
        },
        ...(content.subheading === undefined ? [] : [{ type: 'TextBlock', text: text(content.subheading), isSubtle: true, spacing: 'None', wrap: true }]),
      ],
    },
  ];
  if (content.lead !== undefined) {
    body.push({ type: 'TextBlock', text: text(content.lead.summary), wrap: true });
    body.push({ type: 'FactSet', facts: factsOf(content.lead).map((fact: Fact) => ({ title: fact.title, value: text(fact.value) })) });
  }
  if (content.others.length > 0 && limits.others > 0) {
    body.push({ type: 'TextBlock', text: 'Other alerts in this incident', weight: 'Bolder', spacing: 'Medium' });
    for (const alert of content.others.slice(0, limits.others)) {
      body.push({ type: 'TextBlock', text: text(`${alert.severity.toUpperCase()} · ${alert.title} · ${alert.occurredAt}`), wrap: true, spacing: 'Small' });
    }
    if (content.others.length > limits.others)
      body.push({ type: 'TextBlock', text: `and ${content.others.length - limits.others} more`, isSubtle: true, spacing: 'None' });
  }
  if (content.digest !== undefined) {
    const shown = content.digest.lines.slice(0, limits.digestLines);
    for (const line of shown) body.push({ type: 'TextBlock', text: text(`${line.severity.toUpperCase()} · ${line.title}`), wrap: true, spacing: 'Small' });
    if (content.digest.total > shown.length)
      body.push({ type: 'TextBlock', text: `and ${content.digest.total - shown.length} more`, isSubtle: true, spacing: 'None' });
  }
  if (content.runbook !== undefined) {
    body.push({ type: 'TextBlock', text: 'What to do now', weight: 'Bolder', spacing: 'Medium' });
    body.push({ type: 'TextBlock', text: text(content.runbook), wrap: true });
  }
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: ADAPTIVE_CARD_VERSION,
          msteams: { width: 'Full' },
          body,
          ...(content.links.length === 0 ? {} : { actions: content.links.map((link) => ({ type: 'Action.OpenUrl', title: link.title, url: link.url })) }),
        },
      },
    ],
  };
}

/**
 * Text as Teams should show it: one line, bounded, and unable to form a markdown link or autolink (an
 * attacker controls user agents and request URIs, and could otherwise plant a phishing link, or a fake list
 * or heading, in the SOC's channel).
 */
function plain(value: string, maxLength: number): string {
  const oneLine = value.replace(/\s*[\r\n]+\s*/g, ' ');
  const bounded = oneLine.length > maxLength ? `${oneLine.slice(0, maxLength - 1)}…` : oneLine;
  return bounded.replace(/\]\(/g, ']\u200B(').replace(/</g, '‹').replace(/>/g, '›');
}
