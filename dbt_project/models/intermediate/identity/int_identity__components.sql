{#- Connected components of the link graph: each record with the smallest record id
    it reaches through linked (not refused) identifiers. -#}
{{ connected_components(
    nodes=ref('int_identity__source_records'),
    node_column='record_id',
    edges=ref('int_identity__links'),
    edge_from='record_id',
    edge_to='linked_record_id',
    edge_filter="decision = 'linked'",
) }}
