import { useEffect, useState, type FormEvent } from 'react';
import { get, qs } from './api';
import { Button, Check, Empty, ErrorMessage, Field, LibraryOptions, Loading, Select } from './components';
import { useLoad } from './hooks';
import { Link, navigate, useLocation } from './router';
import { useSession } from './session';
import type { SearchAnswer } from './types';

// Catalog search, shared by the patron catalog and the staff Catalog screen: words anywhere or
// in one part of the record (title, author, subject, ISBN; staff also an item barcode), only
// what is on the shelf, one library; availability per record; facets by format and library.
// The search lives in the address (?q=&by=&library=&format=&available=&offset=), so Back works.

const pageSize = 20;

const fields: { value: string; label: string; staffOnly?: boolean }[] = [
  { value: 'keyword', label: 'Anywhere' },
  { value: 'title', label: 'Title' },
  { value: 'author', label: 'Author' },
  { value: 'subject', label: 'Subject' },
  { value: 'isbn', label: 'ISBN / ISSN' },
  { value: 'barcode', label: 'Item barcode', staffOnly: true },
];

function formatLabel(format: string): string {
  return format.charAt(0).toUpperCase() + format.slice(1).replace(/-/g, ' ');
}

export function CatalogSearch({ recordPath, staff }: { recordPath: (id: number) => string; staff?: boolean }) {
  const { path, query } = useLocation();
  const { members } = useSession();
  const params = {
    q: query.get('q') ?? '',
    by: query.get('by') ?? '',
    library: query.get('library') ?? '',
    format: query.get('format') ?? '',
    available: query.get('available') === 'true' ? 'true' : '',
    offset: Number(query.get('offset') ?? 0) || 0,
  };
  const key = JSON.stringify(params);
  const [text, setText] = useState(params.q);
  const [by, setBy] = useState(params.by || 'keyword');
  const [lib, setLib] = useState(params.library);
  const [onShelf, setOnShelf] = useState(params.available === 'true');
  // Back and Forward bring the form along
  useEffect(() => {
    setText(params.q);
    setBy(params.by || 'keyword');
    setLib(params.library);
    setOnShelf(params.available === 'true');
  }, [key]);

  const searched = params.q !== '' || params.library !== '' || params.format !== '' || params.available !== '';
  const results = useLoad(
    () =>
      searched
        ? get<SearchAnswer>(
            `/records${qs({
              q: params.q,
              by: params.by && params.by !== 'keyword' ? params.by : undefined,
              library: params.library,
              format: params.format,
              available: params.available || undefined,
              offset: params.offset || undefined,
              limit: pageSize,
            })}`,
          )
        : Promise.resolve(undefined),
    [key],
  );

  const go = (change: Partial<typeof params>) => {
    const next = { ...params, offset: 0, ...change };
    navigate(
      `${path}${qs({
        q: next.q,
        by: next.by && next.by !== 'keyword' ? next.by : undefined,
        library: next.library,
        format: next.format,
        available: next.available || undefined,
        offset: next.offset || undefined,
        for: query.get('for') ?? undefined,
      })}`,
    );
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go({ q: text.trim(), by, library: lib, available: onShelf ? 'true' : '', format: params.q === text.trim() ? params.format : '' });
  };
  const data = results.data;
  const formats = data?.facets?.formats ?? [];
  const libraries = data?.facets?.libraries ?? [];
  const namedLibrary = members.find((l) => l.code === params.library);
  return (
    <div className="catalog-search">
      <form className="search-form" role="search" onSubmit={submit}>
        <Field label="Search the catalog" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Title, author, subject or ISBN" autoFocus={!params.q} data-autofocus={!params.q ? true : undefined} className="grow" />
        <Select label="Search in" value={by} onChange={(e) => setBy(e.target.value)}>
          {fields
            .filter((f) => staff || !f.staffOnly)
            .map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
        </Select>
        <Select label="Library" value={lib} onChange={(e) => setLib(e.target.value)}>
          <LibraryOptions libraries={members} placeholder="All libraries" />
        </Select>
        <Check label="On the shelf now" checked={onShelf} onChange={(e) => setOnShelf(e.target.checked)} className="search-check" />
        <Button type="submit">Search</Button>
      </form>
      {!searched ? null : results.loading && !data ? (
        <Loading what="Searching" />
      ) : results.error ? (
        <ErrorMessage>{results.error}</ErrorMessage>
      ) : data ? (
        <div className="results-layout">
          {formats.length > 0 || libraries.length > 0 ? (
            <aside className="facets" aria-label="Narrow the search">
              {params.format || params.library ? (
                <p>
                  <Button kind="link" onClick={() => go({ format: '', library: '' })}>
                    Show all formats and libraries
                  </Button>
                </p>
              ) : null}
              {formats.length > 0 ? (
                <div className="facet">
                  <h2>Format</h2>
                  <ul>
                    {formats.map((f) => (
                      <li key={f.format}>
                        {params.format === f.format ? (
                          <strong aria-current="true">
                            {formatLabel(f.format)} ({f.records})
                          </strong>
                        ) : (
                          <Link to={`${path}${qs({ ...params, by: params.by || undefined, format: f.format, offset: undefined, available: params.available || undefined, for: query.get('for') ?? undefined })}`}>
                            {formatLabel(f.format)} ({f.records})
                          </Link>
                        )}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
              {libraries.length > 0 ? (
                <div className="facet">
                  <h2>Library</h2>
                  <ul>
                    {libraries.map((l) => (
                      <li key={l.code}>
                        {params.library === l.code ? (
                          <strong aria-current="true">{l.name}</strong>
                        ) : (
                          <Link to={`${path}${qs({ ...params, by: params.by || undefined, library: l.code, offset: undefined, available: params.available || undefined, for: query.get('for') ?? undefined })}`}>{l.name}</Link>
                        )}{' '}
                        <span className="muted">
                          ({l.records}, {l.available} on the shelf)
                        </span>
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
            </aside>
          ) : null}
          <div className="results">
            <p role="status" className="result-count">
              {data.total === 0
                ? 'Nothing found.'
                : `${data.totalExact === false ? 'At least ' : ''}${data.total} ${data.total === 1 ? 'record' : 'records'}${data.total > pageSize ? `, ${params.offset + 1}–${Math.min(params.offset + pageSize, data.total)} shown` : ''}`}
            </p>
            {data.records.length === 0 ? (
              <Empty>Try fewer or other words, or search anywhere in the record.</Empty>
            ) : (
              <ol className="record-list" start={params.offset + 1}>
                {data.records.map((r) => (
                  <li key={r.id}>
                    <Link to={recordPath(r.id)} className="record-title">
                      {r.title}
                    </Link>
                    {r.author ? <span className="record-author"> — {r.author}</span> : null}
                    {r.year ? <span className="record-year"> ({r.year})</span> : null}
                    {r.format && r.format !== 'book' ? <span className="pill record-format">{formatLabel(r.format)}</span> : null}
                    <span className={`availability ${r.available > 0 ? 'availability-yes' : 'availability-no'}`}>
                      {namedLibrary ? `${namedLibrary.code}: ` : ''}
                      {r.total === 0 ? 'No copies here' : r.available > 0 ? `${r.available} of ${r.total} on the shelf` : `All ${r.total} in use`}
                      {namedLibrary && r.overall ? ` · everywhere: ${r.overall.available} of ${r.overall.total} on the shelf` : ''}
                    </span>
                  </li>
                ))}
              </ol>
            )}
            {data.total > pageSize ? (
              <div className="pager">
                <Button kind="secondary" disabled={params.offset === 0} onClick={() => go({ offset: Math.max(0, params.offset - pageSize) })}>
                  Previous
                </Button>
                <Button kind="secondary" disabled={data.totalExact !== false && params.offset + pageSize >= data.total} onClick={() => go({ offset: params.offset + pageSize })}>
                  Next
                </Button>
              </div>
            ) : null}
          </div>
        </div>
      ) : null}
    </div>
  );
}
