import type { RedactionRule } from './redaction-rules.js';

/**
 * Personal data: card numbers, bank accounts, national ids, e-mail addresses, phone numbers and IP
 * addresses. Shapes alone match too much (order numbers, dates, versions), so most candidates must
 * also pass a checksum or a check of their shape.
 */
const digitsOf = (text: string) => text.replace(/\D/g, '');

/** The Luhn checksum every payment card number carries. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1 && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

// Visa, Mastercard (51–55, 2221–2720), Amex, Discover, JCB, Diners, UnionPay
const issuer =
  /^(?:4|5[1-5]|2(?:2[2-9][1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)|3[47]|6(?:011|5|4[4-9]|2)|35(?:2[89]|[3-8]\d)|3(?:0[0-5]|[68]))/;

function cardNumber(candidate: string): boolean {
  const digits = digitsOf(candidate);
  return digits.length >= 13 && digits.length <= 19 && issuer.test(digits) && luhn(digits);
}

/** ISO 13616: the account moved behind its country and check digits reads 1 modulo 97. */
export function ibanChecksum(candidate: string): boolean {
  const iban = candidate.replace(/ /g, '');
  if (iban.length < 15 || iban.length > 34) return false;
  let rest = 0;
  for (const char of iban.slice(4) + iban.slice(0, 4)) {
    const code = char.charCodeAt(0);
    const n = code >= 65 ? code - 55 : code - 48;
    rest = (n > 9 ? rest * 100 + n : rest * 10 + n) % 97;
  }
  return rest === 1;
}

/** `user:pass@host` of a URL is the URL's credentials, not an e-mail address (and its host stays). */
function inUrlAuthority(text: string, start: number): boolean {
  for (let i = start - 1; i >= Math.max(0, start - 256); i--) {
    const char = text[i]!;
    if (char === '/') return i > 1 && text[i - 1] === '/' && text[i - 2] === ':';
    if (char === '@' || /\s/.test(char)) return false;
  }
  return false;
}

function phoneNumber(candidate: string): boolean {
  const digits = digitsOf(candidate).length;
  return candidate.startsWith('+') ? digits >= 8 && digits <= 15 : digits >= 9 && digits <= 12;
}

function publicIpv4(candidate: string): boolean {
  return !candidate.startsWith('127.') && candidate !== '0.0.0.0';
}

/** `2001:db8::1`, `fe80::1`, eight groups in full; not a time (`10:30:45`), a MAC or loopback `::1`. */
function ipv6(candidate: string): boolean {
  const halves = candidate.split('::');
  if (halves.length > 2 || candidate.includes(':::')) return false;
  const groups = candidate.split(':').filter((group) => group !== '');
  if (groups.length < 2 || groups.some((group) => group.length > 4)) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}

const guardDigits = String.raw`(?<![\w.+-])`;
const endDigits = String.raw`(?![\w-]|[.,]\d)`;

export const personalDataRules: RedactionRule[] = [
  {
    kind: 'card-number',
    pattern: new RegExp(String.raw`(?<![\w.-])[2-6]\d{3}(?:[ -]?\d){9,15}${endDigits}`, 'g'),
    valid: cardNumber,
  },
  {
    kind: 'iban',
    pattern: /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/g,
    valid: ibanChecksum,
  },
  { kind: 'us-ssn', pattern: /(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])/g },
  {
    kind: 'email',
    pattern: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])/g,
    valid: (address, text, start) => !address.startsWith('git@') && !inUrlAuthority(text, start),
  },
  { kind: 'phone', pattern: /(?<![\w+])\+[1-9]\d{0,14}(?:[ .-]\(?\d{1,5}\)?){0,6}(?!\w)/g, valid: phoneNumber },
  {
    kind: 'phone',
    pattern: new RegExp(
      String.raw`${guardDigits}(?:1[ .-])?(?:\([2-9]\d{2}\)[ .-]?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4}${endDigits}`,
      'g',
    ),
    valid: phoneNumber,
  },
  {
    kind: 'phone',
    pattern: new RegExp(String.raw`${guardDigits}0\d{2,4}[ -]\d{3,4}[ -]\d{3,4}${endDigits}`, 'g'),
    valid: phoneNumber,
  },
  {
    kind: 'ip-address',
    pattern:
      /(?<![\w.]|[A-Za-z]\/)(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\w|\.\d)/g,
    valid: publicIpv4,
  },
  { kind: 'ip-address', pattern: /(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])/g, valid: ipv6 },
];
