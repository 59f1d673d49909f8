/**
 * Subject patterns in NATS syntax, so patterns mean the same on the local and NATS
 * transports: tokens separated by dots, `*` matches exactly one token, `>` (last token
 * only) matches one or more trailing tokens.
 */
export function isPattern(subject: string): boolean {
  return subject.includes('*') || subject.includes('>');
}

export function validatePattern(pattern: string): void {
  const tokens = pattern.split('.');
  tokens.forEach((t, i) => {
    if (t === '') throw new Error(`pattern '${pattern}' has an empty token`);
    if (t === '>' && i !== tokens.length - 1) throw new Error(`pattern '${pattern}': '>' must be the last token`);
    if (t !== '*' && t !== '>' && /[*>]/.test(t)) throw new Error(`pattern '${pattern}': wildcards must be whole tokens`);
  });
}

export function matchesPattern(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}
