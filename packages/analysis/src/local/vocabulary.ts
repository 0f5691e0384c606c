/**
 * Hand-kept vocabulary of the local scorer: general knowledge about how resumes and postings
 * say the same thing in different words. Nothing here is fitted to a data set.
 */

/** Multi-word terms read as one term (matched on lower-cased text before stemming). */
export const PHRASES: Record<string, string> = {
  'human resources': 'hr',
  'human resource': 'hr',
  'public relations': 'pr',
  'information technology': 'itech',
  'business development': 'bizdev',
  'certified public accountant': 'cpa',
  'registered nurse': 'rn',
  'licensed practical nurse': 'lpn',
  'certified nursing assistant': 'cna',
  'accounts payable': 'ap',
  'accounts receivable': 'ar',
  'general ledger': 'gl',
  'electronic health record': 'ehr',
  'electronic health records': 'ehr',
  'electronic medical record': 'ehr',
  'electronic medical records': 'ehr',
  emr: 'ehr',
  'customer relationship management': 'crm',
  'enterprise resource planning': 'erp',
  'search engine optimization': 'seo',
  'microsoft office': 'msoffice',
  'ms office': 'msoffice',
  'microsoft excel': 'excel',
  'ms excel': 'excel',
  'microsoft powerpoint': 'powerpoint',
  'power point': 'powerpoint',
  'adobe creative suite': 'adobecs',
  'adobe creative cloud': 'adobecs',
  'creative suite': 'adobecs',
  'call center': 'callcenter',
  'call centre': 'callcenter',
  'contact center': 'callcenter',
  'customer service': 'custserv',
  'customer support': 'custserv',
  'sous chef': 'souschef',
  'personal trainer': 'ptrainer',
  'personal training': 'ptrainer',
  'social media': 'socialmedia',
  'social work': 'socialwork',
  'case management': 'casemgmt',
  'case manager': 'casemgmt',
  'project management': 'pm',
  'project manager': 'pm',
  'graphic design': 'graphicdesign',
  'graphic designer': 'graphicdesign',
  'financial analysis': 'finanalysis',
  'financial analyst': 'finanalysis',
  'financial statements': 'finstatements',
  'financial statement': 'finstatements',
  'press release': 'pressrelease',
  'press releases': 'pressrelease',
  'media relations': 'mediarelations',
  'lesson plans': 'lessonplan',
  'lesson planning': 'lessonplan',
  'lesson plan': 'lessonplan',
  'classroom management': 'classroommgmt',
  'airframe and powerplant': 'anp',
  'a&p': 'anp',
  'food safety': 'foodsafety',
  'food service': 'foodservice',
  'active directory': 'activedirectory',
  'help desk': 'helpdesk',
  'service desk': 'helpdesk',
  'quick books': 'quickbooks',
};

/** Single words with the same meaning, mapped to one form (before stemming). */
export const ALIASES: Record<string, string> = {
  automobile: 'automotive',
  automobiles: 'automotive',
  auto: 'automotive',
  vehicle: 'automotive',
  vehicles: 'automotive',
  car: 'automotive',
  cars: 'automotive',
  mechanic: 'mechanic',
  garment: 'apparel',
  garments: 'apparel',
  clothing: 'apparel',
  attorney: 'lawyer',
  attorneys: 'lawyer',
  counsel: 'lawyer',
  paralegal: 'legal',
  educator: 'teacher',
  educators: 'teacher',
  instructor: 'teacher',
  instructors: 'teacher',
  teaching: 'teacher',
  teach: 'teacher',
  nursing: 'nurse',
  airplane: 'aircraft',
  airplanes: 'aircraft',
  aviation: 'aircraft',
  culinary: 'cook',
  cooking: 'cook',
  cooks: 'cook',
  farming: 'farm',
  agricultural: 'agriculture',
  agronomy: 'agriculture',
  client: 'customer',
  clients: 'customer',
  salesperson: 'sales',
  selling: 'sales',
  sell: 'sales',
  banker: 'bank',
  bankers: 'bank',
  banking: 'bank',
  advocacy: 'advocate',
  consulting: 'consultant',
  consultancy: 'consultant',
  artist: 'art',
  artists: 'art',
  artistic: 'art',
  arts: 'art',
  hospital: 'clinical',
  workout: 'exercise',
  fitness: 'exercise',
  payroll: 'payroll',
  recruiting: 'recruit',
  recruitment: 'recruit',
  recruiter: 'recruit',
  staffing: 'recruit',
  accountant: 'accounting',
  accountants: 'accounting',
  bookkeeping: 'accounting',
  bookkeeper: 'accounting',
  sysadmin: 'administrator',
  multimedia: 'media',
  videography: 'video',
  videographer: 'video',
  financial: 'finance',
  financials: 'finance',
  technological: 'technology',
  technologies: 'technology',
  technician: 'technician',
  technicians: 'technician',
  // Porter stems "excellent" to "excel", which would match the spreadsheet.
  excellent: 'great',
  excellence: 'great',
};

/**
 * Words nearly every resume uses whatever the job: they count for little when they are the
 * only link between a resume and a job (stems, after aliasing).
 */
export const GENERIC = new Set(
  (
    'manag manage team lead leader leadership custom customer servic work develop plan provid ensur maintain ' +
    'report support project process staff compani organ offic perform program system oper busi ' +
    'respons includ assist coordin product improv review experi skill knowledg abil strong ' +
    'commun written verbal profession senior junior duti daili weekli monthli new time record ' +
    'prepar train effect success detail orient result relationship build track manag implement ' +
    'analysi analyz identifi meet goal use year month state citi name compani current present ' +
    'summari profil object highlight accomplish educ degre bachelor master certif certifi ' +
    'prefer requir plus relat field similar equival environ'
  ).split(' '),
);

/** Title words that name a rank or kind of post, not a trade (stems). */
export const TITLE_GENERIC = new Set(
  (
    'specialist manag manager director coordin assist associ lead leader senior junior staff ' +
    'repres offic officer execut supervisor gener generalist head chief princip intern trainee ' +
    'consult analyst administr profession member worker agent clerk partner vice presid'
  ).split(' '),
);
