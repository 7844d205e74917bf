/// Code and layer blobs, shared by the nodes of a cluster: one row per blob (its size, and when it was last stored, for
/// garbage collection's grace) and its bytes in numbered chunks of at most 1 MiB, which go with their blob. Chunks are
/// stored out of line and uncompressed (`EXTERNAL`): zips do not compress, so PostgreSQL need not try.
extension Migrations {
    static let blobs: [Migration] = [
        Migration(id: "024-blobs", statements: [
            """
            CREATE TABLE blobs (
                digest TEXT COLLATE "C" PRIMARY KEY,
                size BIGINT NOT NULL,
                stored_at TIMESTAMPTZ NOT NULL DEFAULT now())
            """,
            """
            CREATE TABLE blob_chunks (
                digest TEXT COLLATE "C" NOT NULL REFERENCES blobs (digest) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                bytes BYTEA NOT NULL,
                PRIMARY KEY (digest, seq))
            """,
            "ALTER TABLE blob_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL",
        ]),
    ]
}
