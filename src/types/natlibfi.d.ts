// The National Library of Finland's MARC packages ship no types: only what Tamarack uses.

declare module '@natlibfi/marc-record' {
  export interface MarcSubfield {
    code: string;
    /** Absent for an empty subfield (`<subfield code="b"/>`). */
    value?: string;
  }

  export interface MarcControlField {
    tag: string;
    value?: string;
  }

  export interface MarcDataField {
    tag: string;
    ind1: string;
    ind2: string;
    subfields: MarcSubfield[];
  }

  export type MarcRecordField = MarcControlField | MarcDataField;

  /** Each check, when true, makes construction and `appendField` throw on such data. */
  export interface ValidationOptions {
    fields?: boolean;
    subfields?: boolean;
    subfieldValues?: boolean;
    controlFieldValues?: boolean;
    leader?: boolean;
    characters?: boolean;
    noControlCharacters?: boolean;
    noAdditionalProperties?: boolean;
    noFailValidation?: boolean;
    strict?: boolean;
  }

  export class MarcRecord {
    /** Without a record: an empty one, not validated. */
    constructor(record?: { leader?: string; fields?: MarcRecordField[] }, validationOptions?: ValidationOptions);
    leader: string;
    fields: MarcRecordField[];
    get(query: RegExp | string): MarcRecordField[];
    getControlfields(): MarcControlField[];
    getDatafields(): MarcDataField[];
    getFields(tag: string): MarcRecordField[];
    appendField(field: MarcRecordField): this;
    static setValidationOptions(options: ValidationOptions): void;
  }
}

declare module '@natlibfi/marc-record-serializers' {
  import type { MarcRecord, ValidationOptions } from '@natlibfi/marc-record';

  export const MARCXML: {
    /** One `<record>` element (any namespace prefix); a `<collection>` yields an empty record. */
    from(xml: string, validationOptions?: ValidationOptions): Promise<MarcRecord>;
    to(record: MarcRecord, options?: { omitDeclaration?: boolean; indent?: boolean }): string;
  };

  export const ISO2709: {
    from(data: string, validationOptions?: ValidationOptions): MarcRecord;
    to(record: MarcRecord): string;
  };
}
