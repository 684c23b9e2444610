import { CatalogSearch } from '../catalog-search';
import { Page } from '../components';

// The patron catalog's search: anyone may search; availability is shown per record.

export function OpacSearchPage() {
  return (
    <Page title="Search the library catalog">
      <CatalogSearch recordPath={(id) => `/record/${id}`} />
    </Page>
  );
}
