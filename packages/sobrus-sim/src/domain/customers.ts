import { COMPANY_NAMES, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, ORGANISMES } from './catalog.js';
import { createRandom, type Random } from './prng.js';

/** How much a customer buys; drives the length of its statements (one line up to 40+ pages). */
export type ActivityTier = 'single' | 'dormant' | 'light' | 'regular' | 'heavy' | 'wholesale';

export interface SimCustomer {
  /** The Sobrus customer id ("client key"), unique per account. */
  id: string;
  name: string;
  email: string;
  phone: string;
  organisme: string;
  immatriculation: string;
  tier: ActivityTier;
}

/** Tiers of the first customers are fixed so every non-trivial account shows each statement shape. */
const FIXED_TIERS: ActivityTier[] = ['regular', 'single', 'heavy', 'wholesale', 'dormant'];

export function generateCustomers(seed: string, accountEmail: string, count: number): SimCustomer[] {
  const random = createRandom(seed, 'customers', accountEmail);
  const customers: SimCustomer[] = [];
  let nextId = random.int(1_000_000, 2_200_000);
  for (let index = 0; index < count; index++) {
    nextId += random.int(1, 4_000);
    const name = pickName(random, customers, index);
    customers.push({
      id: nextId.toString(),
      name,
      ...contactDetails(random, name),
      tier: FIXED_TIERS[index] ?? pickTier(random),
    });
  }
  return customers;
}

function pickName(random: Random, previous: SimCustomer[], index: number): string {
  // Homonyms are real: the identity is the id, never the name.
  if (index === 6) return 'Amine Tazi';
  if (index === 7 || (previous.length > 10 && random.chance(0.04))) {
    return index === 7 ? 'Amine Tazi' : random.pick(previous).name;
  }
  if (random.chance(0.06)) return random.pick(COMPANY_NAMES);
  return `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
}

function contactDetails(
  random: Random,
  name: string,
): Pick<SimCustomer, 'email' | 'phone' | 'organisme' | 'immatriculation'> {
  const slug = name
    .normalize('NFD')
    .replace(/[^A-Za-z ]/g, '')
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .slice(0, 2)
    .join('.');
  const email = random.chance(0.55) ? `${slug}${random.int(1, 99)}@${random.pick(EMAIL_DOMAINS)}` : '';
  const phone = random.chance(0.8)
    ? `0${random.pick(['6', '7', '5'])}${Array.from({ length: 4 }, () => random.int(10, 99)).join('')}`
    : '';
  const insured = random.chance(0.6);
  return {
    email,
    phone,
    organisme: insured ? random.pick(ORGANISMES) : '',
    immatriculation: insured ? random.int(100_000_000, 999_999_999).toString() : '',
  };
}

function pickTier(random: Random): ActivityTier {
  const roll = random.next();
  if (roll < 0.03) return 'heavy';
  if (roll < 0.06) return 'wholesale';
  if (roll < 0.12) return 'single';
  if (roll < 0.25) return 'dormant';
  if (roll < 0.6) return 'light';
  return 'regular';
}
