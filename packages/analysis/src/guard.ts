import type { ResumeWarning } from '@shortlist/contracts';

/**
 * Phrases aimed at a model rather than a recruiter. Each is specific enough that an honest
 * resume does not say it ("ignore previous instructions", "rate this candidate 100",
 * chat-template markers), because a false alarm costs a real candidate trust.
 */
const INJECTION_PATTERNS: { label: string; pattern: RegExp }[] = [
  {
    label: 'tells the model to ignore its instructions',
    pattern:
      /\b(ignore|disregard|forget|override|bypass)\s+(all\s+|any\s+|the\s+|your\s+|of\s+)*(previous|prior|above|earlier|preceding|original|system)?\s*(instructions?|prompts?|directions?|rules|guidelines|context)\b/i,
  },
  {
    label: 'asks for a particular score',
    pattern:
      /\b(score|rate|rank|grade|mark|evaluate|assess)\s+(this|the|me|my|him|her|them)?\s*(candidate|applicant|resume|cv|profile|person)?\s*(as|at|with|a|an)?\s*(100|10\s*\/\s*10|100\s*\/\s*100|100\s*%|perfect|maximum|max|highest|top|excellent)\b/i,
  },
  {
    label: 'tells the reviewer to shortlist or hire',
    pattern:
      /\b(you\s+(must|should|will)|please|always)\s+(shortlist|hire|select|recommend|approve|pass)\s+(this|the|me)\b/i,
  },
  {
    label: 'addresses an AI reviewer',
    pattern:
      /\b(note|message|instruction|attention)\s+(to|for)\s+(the\s+)?(ai|llm|gpt|chatgpt|language model|model|ats|screening (bot|system|software))\b/i,
  },
  {
    label: 'role-play or new instructions for the model',
    pattern:
      /\b(you are now|from now on,? you|act as (an? )?(ai|assistant|hiring manager|recruiter)|pretend (to be|you are)|new instructions?:|system prompt)\b/i,
  },
  {
    label: 'chat-template or delimiter markers',
    pattern:
      /(<\|im_(start|end)\|>|<\|(system|assistant|user)\|>|\[\/?INST\]|<<\/?SYS>>|###\s*(system|instruction)|^\s*(system|assistant)\s*:|<\/?\s*(resume|job|system|instructions?)\s*>)/im,
  },
];

/** A line of the resume that speaks to the model, with why it was flagged. */
export interface InjectionFinding {
  label: string;
  snippet: string;
}

/** Lines (sentence-ish pieces) of `text` that carry an instruction aimed at a model. */
export function detectInjection(text: string): InjectionFinding[] {
  // Almost every resume is clean: one scan of the whole text per pattern settles that.
  if (!INJECTION_PATTERNS.some((p) => p.pattern.test(text))) return [];
  const findings: InjectionFinding[] = [];
  for (const line of text.split(/\n|(?<=[.!?])\s+/)) {
    const hit = INJECTION_PATTERNS.find((p) => p.pattern.test(line));
    if (hit) findings.push({ label: hit.label, snippet: line.trim().slice(0, 300) });
  }
  return findings;
}

const normalise = (s: string) => s.replace(/\s+/g, ' ').trim();

/** What the scorers actually see, and what the recruiter is warned about. */
export interface GuardedText {
  /** Visible text minus lines that instruct the model. */
  text: string;
  warnings: ResumeWarning[];
  injection: InjectionFinding[];
}

/**
 * Defends scoring against manipulation: text the extractor reported as hidden (white on white,
 * tiny or off-page) is removed, lines that address the model are removed, and the recruiter
 * gets a warning for each, so a flagged resume is scored on its visible, honest text only.
 */
export function guardResume(text: string, hiddenText: string[] = []): GuardedText {
  const warnings: ResumeWarning[] = [];
  let visible = text;
  const hidden = hiddenText.map(normalise).filter((h) => h.length > 0);
  if (hidden.length > 0) {
    for (const span of hiddenText) {
      if (span.trim()) visible = visible.split(span).join(' ');
    }
    const hiddenNorm = new Set(hidden);
    visible = visible
      .split('\n')
      .filter((line) => !hiddenNorm.has(normalise(line)))
      .join('\n');
    warnings.push({
      code: 'hidden_text',
      message:
        'The file contains text a reader cannot see (for example white or tiny text). It was left out of scoring.',
      snippet: hidden.join(' … ').slice(0, 500),
    });
  }

  const injection = detectInjection([text, ...hiddenText].join('\n'));
  if (injection.length > 0) {
    const flagged = new Set(injection.map((f) => normalise(f.snippet)));
    visible = visible
      .split('\n')
      .map((line) =>
        line
          .split(/(?<=[.!?])\s+/)
          .filter((piece) => !flagged.has(normalise(piece).slice(0, 300)))
          .join(' '),
      )
      .join('\n');
    warnings.push({
      code: 'prompt_injection',
      message: `The resume contains instructions aimed at an automated reviewer (${[...new Set(injection.map((f) => f.label))].join('; ')}). They were ignored and left out of scoring; review this candidate by hand.`,
      snippet: injection
        .map((f) => f.snippet)
        .join(' … ')
        .slice(0, 500),
    });
  }
  // Our prompt delimits the resume with tags; nothing inside may close or open them.
  visible = visible.replace(/<\/?\s*(resume|job)\s*>/gi, ' ');
  return { text: visible, warnings, injection };
}
