import time

import requests
from fastapi import Depends, FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .db import get_session
from .models import Customer, Order

app = FastAPI()


@app.get("/orders")
async def list_orders(page: int = 0, session: AsyncSession = Depends(get_session)):
    result = await session.execute(select(Order).offset(page * 50).limit(50))
    orders = result.scalars().all()
    for order in orders:
        order.customer = await session.get(Customer, order.customer_id)
    return orders


@app.get("/health")
async def health():
    time.sleep(0.1)
    return {"ok": True}


@app.get("/rates")
async def rates():
    response = requests.get("https://rates.example.com/latest")
    return response.json()
