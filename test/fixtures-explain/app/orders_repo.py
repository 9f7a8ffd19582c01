# Sample application code for `perflens explain --file … --line …` tests.
from sqlalchemy import text


async def orders_of(session, customer_id):
    result = await session.execute(
        text("SELECT id, total FROM orders WHERE customer_id = :cid AND status = :status"),
        {"cid": customer_id, "status": "paid"},
    )
    return result.all()


def report(cur, since):
    cur.execute(
        "SELECT status, count(*) FROM orders "
        "WHERE created_at > %s GROUP BY status",
        (since,),
    )
