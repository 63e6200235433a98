/** Word lists for the demo data set. Plain data; values contain no CSV-special characters. */

export interface Place {
  city: string;
  /** State or province code; empty where the country has none in our data. */
  state: string;
  country: string;
  /** Relative share of records placed here. */
  weight: number;
  /** Phone prefix: a US/CA area code, or a country calling code. */
  dial: string;
}

const us = (city: string, state: string, weight: number, area: string): Place => ({ city, state, country: 'US', weight, dial: area });

/** US cities with their correct states; Arizona is deliberately well represented. */
export const US_PLACES: readonly Place[] = [
  us('Phoenix', 'AZ', 9, '602'),
  us('Tucson', 'AZ', 5, '520'),
  us('Mesa', 'AZ', 3, '480'),
  us('Scottsdale', 'AZ', 3, '480'),
  us('Chandler', 'AZ', 2, '480'),
  us('Tempe', 'AZ', 2, '480'),
  us('Flagstaff', 'AZ', 1, '928'),
  us('Los Angeles', 'CA', 9, '213'),
  us('San Francisco', 'CA', 6, '415'),
  us('San Diego', 'CA', 5, '619'),
  us('San Jose', 'CA', 4, '408'),
  us('Sacramento', 'CA', 2, '916'),
  us('Austin', 'TX', 5, '512'),
  us('Dallas', 'TX', 5, '214'),
  us('Houston', 'TX', 6, '713'),
  us('San Antonio', 'TX', 3, '210'),
  us('New York', 'NY', 10, '212'),
  us('Buffalo', 'NY', 1, '716'),
  us('Seattle', 'WA', 5, '206'),
  us('Spokane', 'WA', 1, '509'),
  us('Portland', 'OR', 3, '503'),
  us('Denver', 'CO', 4, '303'),
  us('Boulder', 'CO', 1, '303'),
  us('Chicago', 'IL', 7, '312'),
  us('Boston', 'MA', 5, '617'),
  us('Cambridge', 'MA', 1, '617'),
  us('Miami', 'FL', 4, '305'),
  us('Orlando', 'FL', 2, '407'),
  us('Tampa', 'FL', 2, '813'),
  us('Atlanta', 'GA', 4, '404'),
  us('Charlotte', 'NC', 3, '704'),
  us('Raleigh', 'NC', 2, '919'),
  us('Las Vegas', 'NV', 3, '702'),
  us('Reno', 'NV', 1, '775'),
  us('Salt Lake City', 'UT', 2, '801'),
  us('Minneapolis', 'MN', 3, '612'),
  us('Detroit', 'MI', 2, '313'),
  us('Philadelphia', 'PA', 4, '215'),
  us('Pittsburgh', 'PA', 2, '412'),
  us('Columbus', 'OH', 2, '614'),
  us('Cleveland', 'OH', 2, '216'),
  us('Nashville', 'TN', 3, '615'),
  us('Albuquerque', 'NM', 2, '505'),
  us('Washington', 'DC', 3, '202'),
];

/** A few places outside the US (about one record in ten). */
export const OTHER_PLACES: readonly Place[] = [
  { city: 'Toronto', state: 'ON', country: 'CA', weight: 3, dial: '416' },
  { city: 'Vancouver', state: 'BC', country: 'CA', weight: 2, dial: '604' },
  { city: 'Mexico City', state: '', country: 'MX', weight: 2, dial: '+52' },
  { city: 'London', state: '', country: 'GB', weight: 3, dial: '+44' },
  { city: 'Berlin', state: '', country: 'DE', weight: 2, dial: '+49' },
  { city: 'Paris', state: '', country: 'FR', weight: 2, dial: '+33' },
  { city: 'Sydney', state: '', country: 'AU', weight: 1, dial: '+61' },
];

export const FIRST_NAMES: readonly string[] = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen',
  'Christopher', 'Lisa', 'Daniel', 'Nancy', 'Matthew', 'Betty', 'Anthony', 'Sandra', 'Mark', 'Margaret',
  'Donald', 'Ashley', 'Steven', 'Kimberly', 'Andrew', 'Emily', 'Paul', 'Donna', 'Joshua', 'Michelle',
  'Kenneth', 'Carol', 'Kevin', 'Amanda', 'Brian', 'Melissa', 'George', 'Deborah', 'Timothy', 'Stephanie',
  'Ronald', 'Rebecca', 'Jason', 'Laura', 'Edward', 'Sharon', 'Jeffrey', 'Cynthia', 'Ryan', 'Kathleen',
  'Jacob', 'Amy', 'Gary', 'Angela', 'Nicholas', 'Shirley', 'Eric', 'Brenda', 'Jonathan', 'Emma',
  'Maria', 'Jose', 'Carlos', 'Sofia', 'Luis', 'Camila', 'Wei', 'Mei', 'Hiroshi', 'Yuki',
  'Priya', 'Arjun', 'Aisha', 'Omar', 'Fatima', 'Ahmed', 'Olga', 'Ivan', 'Noah', 'Olivia',
  'Liam', 'Ava', 'Ethan', 'Mia', 'Lucas', 'Chloe', 'Mason', 'Grace', 'Logan', 'Zoe',
];

export const LAST_NAMES: readonly string[] = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Gomez', 'Phillips', 'Evans', 'Turner', 'Diaz', 'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes',
  'Stewart', 'Morris', 'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutierrez', 'Ortiz', 'Morgan', 'Cooper',
  'Peterson', 'Bailey', 'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward', 'Richardson',
  'Watson', 'Brooks', 'Chavez', 'Wood', 'James', 'Bennett', 'Gray', 'Mendoza', 'Ruiz', 'Hughes',
  'Price', 'Alvarez', 'Castillo', 'Sanders', 'Patel', 'Myers', 'Long', 'Ross', 'Foster', 'Chen',
];

export const JOB_TITLES: readonly string[] = [
  'Marketing Manager', 'Marketing Director', 'VP of Marketing', 'Chief Marketing Officer', 'Content Strategist',
  'Demand Generation Manager', 'Product Manager', 'Senior Product Manager', 'Software Engineer', 'Engineering Manager',
  'CTO', 'CEO', 'COO', 'CFO', 'Sales Representative', 'Account Executive', 'Sales Director', 'VP of Sales',
  'Customer Success Manager', 'Operations Manager', 'Data Analyst', 'Business Analyst', 'IT Manager',
  'HR Manager', 'Office Manager', 'Procurement Specialist', 'Financial Analyst', 'Consultant', 'Designer',
  'Plant Manager', 'Nurse Manager', 'Teacher', 'Professor', 'Store Manager',
];

export interface Industry {
  name: string;
  weight: number;
  /** Words that end company names in this industry. */
  suffixes: readonly string[];
  /** Typical yearly revenue per employee, in USD. */
  revenuePerEmployee: number;
}

export const INDUSTRIES: readonly Industry[] = [
  { name: 'Software', weight: 22, suffixes: ['Software', 'Labs', 'Systems', 'Technologies', 'Cloud', 'Analytics'], revenuePerEmployee: 250_000 },
  { name: 'Manufacturing', weight: 14, suffixes: ['Manufacturing', 'Industries', 'Works', 'Components', 'Machinery'], revenuePerEmployee: 300_000 },
  { name: 'Healthcare', weight: 12, suffixes: ['Health', 'Medical', 'Clinics', 'Care', 'Biosciences'], revenuePerEmployee: 150_000 },
  { name: 'Finance', weight: 10, suffixes: ['Capital', 'Financial', 'Partners', 'Bank', 'Advisors'], revenuePerEmployee: 400_000 },
  { name: 'Retail', weight: 10, suffixes: ['Stores', 'Outfitters', 'Market', 'Goods', 'Supply'], revenuePerEmployee: 180_000 },
  { name: 'Education', weight: 7, suffixes: ['Academy', 'Learning', 'Institute', 'Education'], revenuePerEmployee: 90_000 },
  { name: 'Logistics', weight: 6, suffixes: ['Logistics', 'Freight', 'Transport', 'Shipping'], revenuePerEmployee: 200_000 },
  { name: 'Energy', weight: 5, suffixes: ['Energy', 'Power', 'Solar', 'Resources'], revenuePerEmployee: 500_000 },
  { name: 'Hospitality', weight: 5, suffixes: ['Hotels', 'Hospitality', 'Resorts', 'Dining'], revenuePerEmployee: 80_000 },
  { name: 'Media', weight: 4, suffixes: ['Media', 'Studios', 'Publishing', 'Creative'], revenuePerEmployee: 220_000 },
  { name: 'Real Estate', weight: 3, suffixes: ['Realty', 'Properties', 'Estates', 'Homes'], revenuePerEmployee: 350_000 },
  { name: 'Nonprofit', weight: 2, suffixes: ['Foundation', 'Alliance', 'Trust'], revenuePerEmployee: 60_000 },
];

/** First words of company names; with the second words and the suffixes, thousands of names per industry. */
export const COMPANY_WORDS_A: readonly string[] = [
  'North', 'South', 'East', 'West', 'Blue', 'Red', 'Green', 'Silver', 'Golden', 'Iron',
  'Bright', 'Clear', 'Swift', 'Summit', 'Pioneer', 'Atlas', 'Apex', 'Vertex', 'Nova', 'Stellar',
  'Cedar', 'Pine', 'Oak', 'Maple', 'River', 'Lake', 'Harbor', 'Canyon', 'Desert', 'Mesa',
  'Sun', 'Star', 'Moon', 'Sky', 'Cloud', 'Stone', 'Granite', 'Copper', 'Crystal', 'Prime',
];

export const COMPANY_WORDS_B: readonly string[] = [
  'wind', 'field', 'bridge', 'gate', 'point', 'ridge', 'view', 'way', 'line', 'path',
  'stone', 'wood', 'brook', 'crest', 'peak', 'haven', 'port', 'shore', 'vale', 'spring',
  'light', 'wave', 'spark', 'forge', 'works', 'mark', 'scale', 'leaf', 'root', 'stream',
];

export const FREE_MAIL_DOMAINS: readonly string[] = ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com', 'proton.me'];

export const LEAD_TOPICS: readonly string[] = [
  'Product demo', 'Pricing inquiry', 'Enterprise plan', 'Partnership', 'Free trial', 'Integration question',
  'Migration from a competitor', 'Support contract', 'Training', 'Renewal',
];
export const LEAD_STATUSES: readonly string[] = ['new', 'working', 'qualified', 'unqualified', 'converted'];
export const LEAD_STATUS_WEIGHTS: readonly number[] = [30, 25, 20, 15, 10];
export const LEAD_SOURCES: readonly string[] = ['website', 'event', 'referral', 'partner', 'paid_search', 'social', 'email'];
export const LEAD_SOURCE_WEIGHTS: readonly number[] = [30, 15, 12, 8, 15, 10, 10];

export const SITE = 'https://www.example.com';
export const WEB_PAGES: readonly string[] = [
  '/', '/pricing', '/features', '/features/segments', '/features/automation', '/integrations', '/customers',
  '/blog', '/blog/segmentation-101', '/blog/email-deliverability', '/blog/lead-scoring', '/about', '/careers',
  '/contact', '/docs', '/docs/getting-started', '/webinars', '/events', '/demo', '/security',
];
export const WEB_PAGE_WEIGHTS: readonly number[] = [
  20, 10, 8, 4, 4, 4, 3, 8, 3, 3, 3, 2, 2, 3, 5, 3, 2, 2, 3, 1,
];

export const FORMS: readonly string[] = [
  'contact-us', 'demo-request', 'newsletter-signup', 'ebook-download', 'webinar-signup', 'pricing-quote',
];
