// The human view of a DomainDiagnosis (the JSON view is the object itself).
import type { Palette } from '../../ui/color';
import { formatDate } from '../certificate';
import type { DomainDiagnosis, Issue } from './diagnose';

const AREAS: Array<[Issue['area'], string]> = [
  ['dns', 'DNS'],
  ['fc', 'FC'],
  ['certificate', 'TLS'],
  ['icp', 'ICP'],
];

export function renderDiagnosis(d: DomainDiagnosis, c: Palette): string {
  const out: string[] = [];
  out.push(`${d.domain}: ${d.ok ? c.green('ready') : c.red('action needed')}${d.local ? ' (local emulator)' : ''}`);
  out.push('');
  const mark = (s: Issue['severity']) => (s === 'error' ? c.red('✗') : s === 'warning' ? c.yellow('!') : c.dim('i'));
  for (const [area, label] of AREAS) {
    const list = d.issues.filter((i) => i.area === area);
    if (!list.length) out.push(`  ${c.green('✓')} ${label.padEnd(4)} ${okLine(d, area)}`);
    for (const i of list) {
      out.push(`  ${mark(i.severity)} ${label.padEnd(4)} ${i.message}`);
      if (i.fix && i.severity !== 'info') out.push(`         ${c.dim('fix:')} ${i.fix}`);
      else if (i.fix) out.push(`         ${c.dim(i.fix)}`);
    }
  }
  out.push('');
  out.push(`Expected:     CNAME  ${d.expected.name} → ${d.expected.value}`);
  const now: string[] = [];
  if (d.resolved.cname.length) now.push(`CNAME ${[d.domain, ...d.resolved.cname].join(' → ')}`);
  if (d.resolved.a.length) now.push(`A ${d.resolved.a.join(', ')}`);
  if (d.resolved.aaaa.length) now.push(`AAAA ${d.resolved.aaaa.join(', ')}`);
  out.push(`Resolves to:  ${now.length ? now.join('; ') : '(nothing)'}  ${c.dim(`[${d.resolved.source}]`)}`);
  if (d.next.length) {
    out.push('');
    out.push('Next:');
    for (const n of d.next) out.push(`  ${n}`);
  }
  return out.join('\n') + '\n';
}

function okLine(d: DomainDiagnosis, area: Issue['area']): string {
  switch (area) {
    case 'dns':
      return `${d.domain} points at ${d.expected.value}`;
    case 'fc':
      return `bound in ${d.region}, ${d.fc.routes.length} route${d.fc.routes.length === 1 ? '' : 's'}${d.fc.protocol ? `, ${d.fc.protocol}` : ''}`;
    case 'certificate':
      return d.certificate ? `certificate (${d.certificate.source}) for ${d.certificate.names.join(', ')}, valid until ${formatDate(new Date(d.certificate.validTo))} (${d.certificate.daysLeft} days)` : 'no certificate needed';
    case 'icp':
      return `${d.region} needs no ICP filing`;
  }
}
