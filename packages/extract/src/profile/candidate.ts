import type { Candidate } from '@shortlist/contracts';
import type { ResumeProfile } from '../types';

/**
 * The candidate's identity as the rest of the system keeps it (the `candidate` of a stored
 * resume, what blind mode redacts): name, email, phone and the links found, in one list.
 */
export function candidateOf(profile: ResumeProfile): Candidate {
  const { linkedin, github, portfolio } = profile.links;
  return {
    name: profile.name,
    email: profile.email,
    phone: profile.phone,
    links: [linkedin, github, portfolio].filter((link): link is string => Boolean(link)),
  };
}
