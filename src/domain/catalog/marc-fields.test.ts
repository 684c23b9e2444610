import { describe, expect, it } from 'vitest';
import { shelfCallNumber, suggestCallNumber } from './call-number';
import { formatOf, isbnInText, summariseMarc, trimIsbd, type MarcField, type RecordSummary } from './marc-fields';

const book = '01344cam a22003014i 4500';

function df(tag: string, subfields: [string, string][], ind1 = ' ', ind2 = ' '): MarcField {
  return { tag, ind1, ind2, subfields: subfields.map(([code, value]) => ({ code, value })) };
}
function cf(tag: string, value: string): MarcField {
  return { tag, value };
}

describe('trimIsbd', () => {
  it.each([
    ['E Street shuffle :', 'E Street shuffle'],
    ['the glory days /', 'the glory days'],
    ['Heylin, Clinton.', 'Heylin, Clinton'],
    ['Viking,', 'Viking'],
    ['Part one ;', 'Part one'],
    ['Smith, J.', 'Smith, J.'],
    ['Tolkien, J.R.R.', 'Tolkien, J.R.R.'],
    ['And then...', 'And then...'],
    ['World War II.', 'World War II'],
    ['  Title = ', 'Title'],
    ['Why? /', 'Why?'],
  ])('%j → %j', (input, expected) => {
    expect(trimIsbd(input)).toBe(expected);
  });
});

describe('isbnInText', () => {
  it.each([
    ['9780670026623 (alk. paper)', '9780670026623'],
    ['0-670-02662-x (pbk.)', '067002662X'],
    ['978-1-4028-9462-6', '9781402894626'],
    ['(pbk.)', null],
    ['12345', null],
  ])('%j → %j', (input, expected) => {
    expect(isbnInText(input)).toBe(expected);
  });
});

describe('formatOf (leader/06-07)', () => {
  it.each([
    ['00000nam a2200000 a 4500', 'book'],
    ['00000ntm a2200000 a 4500', 'book'],
    ['00000nas a2200000 a 4500', 'serial'],
    ['00000ncm a2200000 a 4500', 'score'],
    ['00000ndm a2200000 a 4500', 'score'],
    ['00000nim a2200000 a 4500', 'audiobook'],
    ['00000njm a2200000 a 4500', 'music'],
    ['00000ngm a2200000 a 4500', 'video'],
    ['00000nem a2200000 a 4500', 'map'],
    ['00000nmm a2200000 a 4500', 'computer file'],
    ['00000nkm a2200000 a 4500', 'other'],
    ['00246    a2200109   4500', 'other'],
    ['', 'other'],
  ])('%s → %s', (leader, expected) => {
    expect(formatOf(leader)).toBe(expected);
  });
});

const cases: { name: string; leader?: string; fields: MarcField[]; expected: Partial<RecordSummary> }[] = [
  {
    name: 'an LC book record (Koha sample 17446121)',
    fields: [
      cf('001', '17446121'),
      cf('003', 'DLC'),
      cf('008', '120829t20132012nyu      bk   001 0ceng  '),
      df('020', [['a', '9780670026623 (alk. paper)']]),
      df('100', [['a', 'Heylin, Clinton.'], ['9', '1702']], '1'),
      df('245', [['a', 'E Street shuffle :'], ['b', 'the glory days of Bruce Springsteen & the E Street Band /'], ['c', 'Clinton Heylin.']], '1', '0'),
      df('264', [['a', 'New York :'], ['b', 'Viking,'], ['c', '[2013]']], ' ', '1'),
      df('600', [['a', 'Springsteen, Bruce.']], '1', '0'),
      df('650', [['a', 'Rock musicians'], ['z', 'United States'], ['v', 'Biography.']], ' ', '0'),
      df('650', [['a', 'Rock musicians'], ['z', 'United States'], ['v', 'Biography.']], ' ', '7'),
    ],
    expected: {
      title: 'E Street shuffle : the glory days of Bruce Springsteen & the E Street Band',
      author: 'Heylin, Clinton',
      isbn: ['9780670026623'],
      publisher: 'Viking',
      year: 2013,
      publication: 'New York : Viking, [2013]',
      subjects: ['Springsteen, Bruce', 'Rock musicians -- United States -- Biography'],
      format: 'book',
      controlNumber: '17446121',
      controlSource: 'DLC',
    },
  },
  {
    name: 'part number and name, a skipped $h keeps its separator',
    fields: [df('245', [['a', 'Star trek.'], ['n', 'Season 1,'], ['p', 'Disc 2'], ['h', '[videorecording] :'], ['b', 'the cage /'], ['c', 'Paramount.']])],
    expected: { title: 'Star trek. Season 1, Disc 2 : the cage', author: null, isbn: [], publisher: null, year: null, subjects: [] },
  },
  {
    name: '260 publisher and year from $c when 008 is not numeric; 700 as author',
    fields: [
      cf('008', '950101s19uu    xx            000 0 eng d'),
      df('245', [['a', 'Old songs.']]),
      df('260', [['a', 'Boston :'], ['b', 'Ditson,'], ['c', 'c1895.']]),
      df('700', [['a', 'Foster, Stephen Collins,'], ['d', '1826-1864.']], '1'),
    ],
    expected: { title: 'Old songs', publisher: 'Ditson', year: 1895, author: 'Foster, Stephen Collins' },
  },
  {
    name: 'corporate author with subordinate unit; a copyright date (264 _4) stands in for the year',
    fields: [
      df('110', [['a', 'United States.'], ['b', 'Congress.'], ['b', 'House.']], '1'),
      df('245', [['a', 'Report.']]),
      df('264', [['c', '©2001']], ' ', '4'),
      df('264', [['b', 'G.P.O.,']], ' ', '1'),
    ],
    expected: { author: 'United States. Congress. House', publisher: 'G.P.O.', year: 2001 },
  },
  {
    name: 'no 245: no title, so the reader refuses the record',
    fields: [cf('001', ' 42 '), df('246', [['a', 'Variant title']])],
    expected: { title: null, controlNumber: '42', controlSource: null },
  },
  {
    name: 'an ACO record: romanised 245 wins over the Arabic-script 880, in NFC',
    leader: '01234cam a2200397Ia 4500',
    fields: [
      cf('001', '990012345'),
      cf('003', 'NNU'),
      cf('008', '090807s1958    ua            000 0 ara d'),
      df('100', [['6', '880-01'], ['a', 'Ṭaha Ḥusayn,'.normalize('NFD')], ['d', '1889-1973.']], '0'),
      df('245', [['6', '880-02'], ['a', 'al-Ayyām /'.normalize('NFD')], ['c', 'Ṭaha Ḥusayn.']], '1', '0'),
      df('260', [['a', 'al-Qāhirah :'], ['b', 'Dār al-Maʻārif,'], ['c', '1378 [1958]']]),
      df('880', [['6', '245-02/(3/r'], ['a', 'الأيام /'], ['c', 'طه حسين.']], '1', '0'),
      df('880', [['6', '100-01/(3/r'], ['a', 'طه حسين،']], '0'),
    ],
    expected: {
      title: 'al-Ayyām',
      author: 'Ṭaha Ḥusayn',
      publisher: 'Dār al-Maʻārif',
      year: 1958,
      controlNumber: '990012345',
      controlSource: 'NNU',
    },
  },
  {
    name: 'a 245 in Arabic script is kept as given',
    fields: [df('245', [['a', 'كتاب الأغاني :'], ['b', 'الجزء الأول /']], '1', '0')],
    expected: { title: 'كتاب الأغاني : الجزء الأول' },
  },
];

describe('summariseMarc', () => {
  it.each(cases)('$name', ({ leader, fields, expected }) => {
    const summary = summariseMarc(leader ?? book, fields);
    expect(summary).toMatchObject(expected);
    if (summary.title) expect(summary.title).toBe(summary.title.normalize('NFC'));
  });
});

describe('suggestCallNumber', () => {
  it.each<[string, MarcField[], string | null]>([
    ['Dewey with the author', [df('082', [['a', '782.42166092'], ['2', '23']], '0', '0'), df('100', [['a', 'Heylin, Clinton.']])], '782.421 HEY'],
    ['segmented Dewey, title entry', [df('082', [['a', "641.5/945"]]), df('245', [['a', 'The Italian cookbook.']])], '641.594 ITA'],
    ['LC when there is no Dewey', [df('050', [['a', 'ML420.S77'], ['b', 'H28 2013']], '0', '0')], 'ML420.S77 H28 2013'],
    ['nothing to go on', [df('245', [['a', 'A novel']])], null],
  ])('%s', (_name, fields, expected) => {
    expect(suggestCallNumber(fields)).toBe(expected);
  });
});

describe('shelfCallNumber', () => {
  it.each<[string, MarcField[], string, string | null, string]>([
    ['the holdings call number first', [df('852', [['h', 'PJ7828'], ['i', '.A9']]), df('082', [['a', '892.7']])], 'book', null, 'PJ7828 .A9'],
    ['Dewey next', [df('082', [['a', '782.42']]), df('100', [['a', 'Heylin, Clinton.']])], 'book', 'Heylin, Clinton', '782.42 HEY'],
    ['a book in another language: its language shelf', [cf('008', '090807s1958    ua            000 0 ara d')], 'book', 'Ṭaha Ḥusayn', 'ARA TAH'],
    ['a video: the DVD shelf', [], 'video', null, 'DVD CAS'],
  ])('%s', (_name, fields, format, author, expected) => {
    expect(shelfCallNumber({ fields, format, title: 'Casablanca', author })).toBe(expected);
  });
});
