import { notFound } from 'next/navigation';

/** Any path under a language that no page answers: the localized not-found page. */
export default function CatchAll() {
  notFound();
}
