{#- Connected components of an undirected graph: every node with the smallest node
    id it reaches (its component id). A recursive walk that keeps each (node, reached)
    pair once, so it ends on graphs with cycles; it costs the sum over components of
    their size squared, which suits identity graphs of many small components. -#}
{% macro connected_components(nodes, node_column, edges, edge_from, edge_to, edge_filter="1 = 1") -%}
    {{ return(adapter.dispatch("connected_components", "salesdw")(
        nodes, node_column, edges, edge_from, edge_to, edge_filter
    )) }}
{%- endmacro %}

{% macro default__connected_components(nodes, node_column, edges, edge_from, edge_to, edge_filter) -%}
with recursive

undirected_edges as (
    select {{ edge_from }} as from_node, {{ edge_to }} as to_node
    from {{ edges }}
    where {{ edge_filter }}
    union
    select {{ edge_to }} as from_node, {{ edge_from }} as to_node
    from {{ edges }}
    where {{ edge_filter }}
),

walk (node_id, reached_node_id) as (
    select
        {{ node_column }} as node_id,
        {{ node_column }} as reached_node_id
    from {{ nodes }}
    union
    select
        walk.node_id,
        undirected_edges.to_node as reached_node_id
    from walk
    inner join undirected_edges
        on walk.reached_node_id = undirected_edges.from_node
),

components as (
    select
        node_id as {{ node_column }},
        min(reached_node_id) as component_id,
        count(*) as component_size
    from walk
    group by node_id
)

select * from components
{%- endmacro %}
