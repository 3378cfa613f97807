import duckdb
import pytest

from quality.rejected_share import rejected_shares


@pytest.fixture()
def con():
    con = duckdb.connect()
    con.execute("create schema raw_x")
    con.execute("create table raw_x.leads as select range as id from range(95)")
    con.execute("create table raw_x.orders as select range as id from range(10)")
    con.execute(
        "create table raw_x.rejected_rows as select * from (values "
        "('leads', 'unparseable phone'), ('leads', 'unparseable phone'), "
        "('leads', 'missing id'), ('leads', 'unparseable phone'), ('leads', 'bad date')"
        ") t(table_name, reason)"
    )
    return con


def test_share_counts_rejected_over_everything_received(con):
    shares = rejected_shares(con, "raw_x", ["leads", "orders"])
    assert (shares["leads"].loaded, shares["leads"].rejected) == (95, 5)
    assert shares["leads"].share == pytest.approx(0.05)
    assert shares["leads"].top_reasons[0] == ("unparseable phone", 3)
    assert shares["orders"].share == 0.0


def test_a_table_not_loaded_yet_has_no_share(con):
    share = rejected_shares(con, "raw_x", ["invoices"])["invoices"]
    assert (share.loaded, share.rejected, share.share) == (0, 0, 0.0)
