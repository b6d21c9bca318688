import { factsOf } from './notificationContent.js';
import type { NotificationContent } from '../domain/delivery.js';

export interface EmailMessage {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

const SEVERITY_COLOURS = { critical: '#a4262c', high: '#d13438', medium: '#c19c00', low: '#0078d4' } as const;
const LISTED = 20;

/**
 * The same content as the Teams card, as an e-mail with an HTML and a plain-text part. Everything that came
 * from a record is escaped: an attacker writes user agents and request URIs.
 */
export function formatEmail(content: NotificationContent): EmailMessage {
  const prefix = content.kind === 'test' ? '[Lure TEST]' : `[Lure ${content.severity}]`;
  const subject = oneLine(`${prefix} ${content.heading}`).slice(0, 200);
  const facts = content.lead === undefined ? [] : factsOf(content.lead);
  const others = content.others.slice(0, LISTED).map((alert) => `${alert.severity.toUpperCase()} · ${alert.title} · ${alert.occurredAt}`);
  const digestLines = (content.digest?.lines ?? []).slice(0, LISTED).map((line) => `${line.severity.toUpperCase()} · ${line.title}`);
  const more = (content.digest?.total ?? 0) - digestLines.length;

  const text = [
    `${content.severity.toUpperCase()} · ${content.heading}`,
    ...(content.subheading === undefined ? [] : [content.subheading]),
    '',
    ...(content.lead === undefined ? [] : [content.lead.summary, '']),
    ...facts.map((fact) => `${fact.title}: ${fact.value}`),
    ...(others.length === 0 ? [] : ['', 'Other alerts in this incident:', ...others.map((line) => `- ${line}`)]),
    ...(digestLines.length === 0 ? [] : ['', ...digestLines.map((line) => `- ${line}`), ...(more > 0 ? [`- and ${more} more`] : [])]),
    ...(content.runbook === undefined ? [] : ['', 'What to do now:', content.runbook]),
    ...(content.links.length === 0 ? [] : ['', ...content.links.map((link) => `${link.title}: ${link.url}`)]),
  ].join('\n');

  const colour = SEVERITY_COLOURS[content.severity];
  const html = [
    '<!DOCTYPE html><html><body style="font-family:Segoe UI,Helvetica,Arial,sans-serif;font-size:14px">',
    `<div style="border-left:6px solid ${colour};padding:8px 12px"><h2 style="margin:0;color:${colour}">${escape(content.severity.toUpperCase())} · ${escape(content.heading)}</h2>`,
    content.subheading === undefined ? '' : `<p style="margin:4px 0 0;color:#605e5c">${escape(content.subheading)}</p>`,
    '</div>',
    content.lead === undefined ? '' : `<p>${escape(content.lead.summary)}</p>`,
    facts.length === 0
      ? ''
      : `<table cellpadding="4" style="border-collapse:collapse">${facts.map((fact) => `<tr><th align="left" valign="top">${escape(fact.title)}</th><td>${escape(fact.value)}</td></tr>`).join('')}</table>`,
    others.length === 0 ? '' : `<h3>Other alerts in this incident</h3><ul>${others.map((line) => `<li>${escape(line)}</li>`).join('')}</ul>`,
    digestLines.length === 0 ? '' : `<ul>${digestLines.map((line) => `<li>${escape(line)}</li>`).join('')}${more > 0 ? `<li>and ${more} more</li>` : ''}</ul>`,
    content.runbook === undefined ? '' : `<h3>What to do now</h3><p>${escape(content.runbook)}</p>`,
    content.links.length === 0 ? '' : `<p>${content.links.map((link) => `<a href="${escape(link.url)}">${escape(link.title)}</a>`).join(' · ')}</p>`,
    '</body></html>',
  ].join('');
  return { subject, html, text };
}

function escape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Subjects are one line: a record's newline must not start a new header. */
function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}
