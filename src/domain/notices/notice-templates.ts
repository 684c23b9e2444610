import { invalid, ok, type Result } from '../refusal';

// The texts of notices to patrons (DESIGN §4 "Notices"): each library may word each kind its own
// way; a kind it has not worded uses the default below. A text names facts as {placeholders};
// each kind has only the facts it knows (a courtesy notice has a due date, a hold-ready notice a
// pick-up time), so a library saving a placeholder its kind cannot fill is told at once rather
// than patrons receiving a literal "{dueDate}".

export const noticeKinds = ['hold-ready', 'hold-cancelled', 'courtesy', 'overdue', 'shelf-expiry-reminder'] as const;
export type NoticeKind = (typeof noticeKinds)[number];

export const placeholders = ['patronName', 'title', 'libraryName', 'pickupBy', 'dueDate', 'hours', 'reason'] as const;
export type Placeholder = (typeof placeholders)[number];

export interface NoticeTemplate {
  subject: string;
  body: string;
}

/** A library's own texts by kind, as stored (libraries.notice_templates). */
export type LibraryTemplates = Readonly<Record<string, NoticeTemplate>>;

export type NoticeValues = Partial<Record<Placeholder, string>>;

const common = ['patronName', 'title', 'libraryName', 'hours'] as const;

export const placeholdersOf: Record<NoticeKind, readonly Placeholder[]> = {
  'hold-ready': [...common, 'pickupBy'],
  'hold-cancelled': [...common, 'reason'],
  courtesy: [...common, 'dueDate'],
  overdue: [...common, 'dueDate'],
  'shelf-expiry-reminder': [...common, 'pickupBy'],
};

export const defaultTemplates: Record<NoticeKind, NoticeTemplate> = {
  'hold-ready': {
    subject: 'Your hold is ready: {title}',
    body: 'Dear {patronName},\n\n"{title}" is waiting for you on the holds shelf at {libraryName}. Please pick it up by {pickupBy}.\n\nOpening hours: {hours}\n\n{libraryName}',
  },
  'hold-cancelled': {
    subject: 'Your hold was cancelled: {title}',
    body: 'Dear {patronName},\n\nYour hold on "{title}" (to pick up at {libraryName}) was cancelled: {reason}.\nPlease ask us if you would like to place it again.\n\n{libraryName}',
  },
  courtesy: {
    subject: 'Due soon: {title}',
    body: 'Dear {patronName},\n\n"{title}" is due back on {dueDate}. Please return or renew it by then.\n\nOpening hours: {hours}\n\n{libraryName}',
  },
  overdue: {
    subject: 'Overdue: {title}',
    body: 'Dear {patronName},\n\n"{title}" was due back on {dueDate}. Please return it as soon as you can, or ask us to renew it.\n\nOpening hours: {hours}\n\n{libraryName}',
  },
  'shelf-expiry-reminder': {
    subject: 'Last day to pick up: {title}',
    body: 'Dear {patronName},\n\n"{title}" is still waiting for you on the holds shelf at {libraryName} until {pickupBy}. After that it goes to the next patron in line.\n\nOpening hours: {hours}\n\n{libraryName}',
  },
};

const placeholderPattern = /\{([A-Za-z]+)\}/g;

export function isNoticeKind(kind: string): kind is NoticeKind {
  return (noticeKinds as readonly string[]).includes(kind);
}

/** The placeholders a text names that its kind cannot fill. */
export function unknownPlaceholders(kind: NoticeKind, text: string): string[] {
  const known = placeholdersOf[kind] as readonly string[];
  return [...new Set([...text.matchAll(placeholderPattern)].map((m) => m[1]).filter((name) => !known.includes(name)))];
}

/** Checks the texts a library saves: null for a kind means "back to the default". */
export function checkTemplates(templates: Partial<Record<NoticeKind, NoticeTemplate | null>>): Result<null> {
  for (const kind of noticeKinds) {
    const template = templates[kind];
    if (!template) continue;
    for (const part of ['subject', 'body'] as const) {
      const unknown = unknownPlaceholders(kind, template[part]);
      if (unknown.length > 0) {
        const names = unknown.map((n) => `{${n}}`).join(', ');
        const allowed = placeholdersOf[kind].map((n) => `{${n}}`).join(', ');
        return invalid(`noticeTemplates.${kind}.${part}`, `A ${kind} notice cannot fill ${names}; it may use ${allowed}.`);
      }
    }
  }
  return ok(null);
}

/** The text a library sends for a kind: its own when it has one, else the default. */
export function templateFor(kind: NoticeKind, library: LibraryTemplates): NoticeTemplate {
  const own = library[kind];
  return own && typeof own.subject === 'string' && typeof own.body === 'string' ? own : defaultTemplates[kind];
}

function fill(text: string, kind: NoticeKind, values: NoticeValues): string {
  const known = placeholdersOf[kind] as readonly string[];
  // a name the kind cannot fill stays as written: saving refuses those, so it is an old text
  return text.replace(placeholderPattern, (whole, name: string) => (known.includes(name) ? (values[name as Placeholder] ?? '') : whole));
}

/** The notice's subject and body in the library's words. The subject is one line, as mail headers need. */
export function renderNotice(kind: NoticeKind, library: LibraryTemplates, values: NoticeValues): NoticeTemplate {
  const template = templateFor(kind, library);
  return { subject: fill(template.subject, kind, values).replace(/\s+/g, ' ').trim(), body: fill(template.body, kind, values) };
}
