// The countries the sample contacts live in: how their numbers look, what a text to them costs,
// and the language they mostly write in.
import type { Rng } from '../random.js';

export interface Country {
  /** The calling code, for reading a national number sent without `+`. */
  readonly callingCode: string;
  /** Price of one SMS segment to the country. */
  readonly price: number;
  /** The language texts to and from its contacts are mostly in. */
  readonly language: string;
  /** A mobile number of the country, in E.164. */
  readonly mobile: (rng: Rng) => string;
}

// Numbers sit in ranges reserved for fiction where one exists (555-01xx, 07700 900xxx,
// 0491 570 1xx); elsewhere they only have a realistic shape.
export const COUNTRIES: Readonly<Record<string, Country>> = {
  US: {
    callingCode: '1',
    price: 0.0079,
    language: 'en',
    mobile: (r) =>
      `+1${r.pick(['415', '512', '312', '206', '617', '404', '213', '303'])}55501${r.digits(2)}`,
  },
  CA: {
    callingCode: '1',
    price: 0.0079,
    language: 'en',
    mobile: (r) => `+1${r.pick(['514', '418', '416', '613'])}55501${r.digits(2)}`,
  },
  GB: {
    callingCode: '44',
    price: 0.0415,
    language: 'en',
    mobile: (r) => `+447700900${r.digits(3)}`,
  },
  DE: { callingCode: '49', price: 0.0789, language: 'de', mobile: (r) => `+49151${r.digits(8)}` },
  FR: { callingCode: '33', price: 0.0712, language: 'fr', mobile: (r) => `+336${r.digits(8)}` },
  ES: { callingCode: '34', price: 0.0695, language: 'es', mobile: (r) => `+346${r.digits(8)}` },
  JP: { callingCode: '81', price: 0.0698, language: 'ja', mobile: (r) => `+8190${r.digits(8)}` },
  BR: { callingCode: '55', price: 0.0521, language: 'pt', mobile: (r) => `+55119${r.digits(8)}` },
  MX: { callingCode: '52', price: 0.039, language: 'es', mobile: (r) => `+5255${r.digits(8)}` },
  AU: {
    callingCode: '61',
    price: 0.0515,
    language: 'en',
    mobile: (r) => `+614915701${r.digits(2)}`,
  },
  IN: { callingCode: '91', price: 0.0246, language: 'en', mobile: (r) => `+9198${r.digits(8)}` },
};

/** Cities whose contacts write in French, in a country that mostly writes in English. */
export const FRENCH_CITIES: readonly string[] = ['Montréal', 'Québec'];
