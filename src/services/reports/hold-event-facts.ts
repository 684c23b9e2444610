import { patronName, type PatronRef } from '../patron-view';

// What the hold events carry for the reports (DESIGN §2 "Events": the source of reports). The
// holds report and the lending balance read only the events table and the libraries, so they
// stay right after holds are purged and patrons anonymised: each event keeps the facts as they
// were when it happened. Libraries go by code, as the scan's capture event names them.
//
//   hold-placed, hold-fulfilled, hold-cancelled: HoldEventFacts
//   hold-captured (the scan), hold-fulfilled:     lendingLibrary
//   hold-cancelled of a captured hold:            lendingLibrary (the captured copy's owner)
//   hold-cancelled:                               the cancel reason, in the event's `reason`
//   hold-updated:                                 pickupLibraryCode when the pickup changed

export interface HoldEventFacts {
  patron: PatronRef;
  /** The patron's home library code. */
  homeLibrary: string;
  title: string;
  /** The pickup library code. */
  pickupLibrary: string;
}

export function holdEventFacts(facts: { barcode: string; firstName: string; lastName: string; homeLibraryCode: string; title: string; pickupLibraryCode: string }): HoldEventFacts {
  return {
    patron: { barcode: facts.barcode, name: patronName(facts.firstName, facts.lastName) },
    homeLibrary: facts.homeLibraryCode,
    title: facts.title,
    pickupLibrary: facts.pickupLibraryCode,
  };
}
