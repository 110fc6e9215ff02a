"""The production store: MongoDB through PyMongo's async API (`AsyncMongoClient`).

Collections: `postings` (one document per job id), `rollups` (one per role and day), `users`, `meta`, and
the identity ledgers of core.storage.mongo.accounts (credentials, link codes, tokens, auth attempts) and
the run ledger, watermarks and slot locks of core.storage.mongo.runs, and the digest ledger
(core.storage.mongo.digests).
`open()` creates the indexes (idempotent). Postings have no TTL index: retention is the cleanup job, which
also rebuilds the rollups of the days it empties.
"""

from __future__ import annotations

from pymongo import AsyncMongoClient
from pymongo.errors import PyMongoError

from core.storage.mongo.accounts import (
    MongoAttemptRepository,
    MongoCredentialRepository,
    MongoLinkCodeRepository,
    MongoTokenRepository,
    create_account_indexes,
)
from core.storage.mongo.digests import MongoDigestLedger
from core.storage.mongo.meta import MongoMetaRepository
from core.storage.mongo.postings import MongoPostingRepository
from core.storage.mongo.rollups import MongoRollupRepository
from core.storage.mongo.runs import MongoRunLedger, MongoSlotLocks, create_run_indexes
from core.storage.mongo.users import MongoUserRepository


class MongoStore:
    """All repositories over one MongoDB database; owns (and closes) the client it is given."""

    kind = "mongo"

    def __init__(self, client: AsyncMongoClient, database_name: str) -> None:
        self._client = client
        self._database = database = client[database_name]
        self.database_name = database_name
        self.postings = MongoPostingRepository(database["postings"])
        self.rollups = MongoRollupRepository(database["rollups"], database["postings"])
        self.users = MongoUserRepository(database["users"])
        self.meta = MongoMetaRepository(database["meta"])
        self.credentials = MongoCredentialRepository(database)
        self.link_codes = MongoLinkCodeRepository(database)
        self.tokens = MongoTokenRepository(database)
        self.attempts = MongoAttemptRepository(database)
        self.runs = MongoRunLedger(database)
        self.locks = MongoSlotLocks(database)
        self.digests = MongoDigestLedger(database)

    @classmethod
    def from_uri(cls, uri: str, database_name: str) -> MongoStore:
        """Builds the client without connecting; the first operation (open) connects."""
        return cls(AsyncMongoClient(uri), database_name)

    async def open(self) -> None:
        await self.postings.create_indexes()
        await self.rollups.create_indexes()
        await self.users.create_indexes()  # meta is looked up by _id, which is always indexed
        await create_account_indexes(self._database)
        await create_run_indexes(self._database)
        await self.digests.create_indexes()

    async def close(self) -> None:
        await self._client.close()

    async def ping(self) -> bool:
        try:
            await self._client.admin.command("ping")
        except PyMongoError:
            return False
        return True
