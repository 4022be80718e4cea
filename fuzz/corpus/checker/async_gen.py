import asyncio


async def fetch(queue: asyncio.Queue[int], *args, **kwargs) -> list[int]:
    items = []
    async with asyncio.timeout(1):
        async for item in stream(queue):
            items.append(await asyncio.sleep(0, item))
    return [i async for i in stream(queue)] + items


async def stream(queue):
    while not queue.empty():
        yield await queue.get()


@staticmethod
def decorated(a, /, b, *, c):
    yield from range(a, b, c)
