{{ rejected_rows_of('raw_crm') }}
