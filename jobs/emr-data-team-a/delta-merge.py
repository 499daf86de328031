"""Delta Lake, step 2: upsert changed and new employees from a CSV file into the table
delta-create.py wrote. Rows match on id; a matched row is rewritten only when its checksum
changed. Both jobs are committed together, so this one first waits for the table to exist.

Usage: delta-merge.py <updates CSV> <table path> [seconds to wait for the table, default 1800]
"""

import sys
import time

from pyspark.errors import AnalysisException
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.functions import col, concat_ws, md5

SCHEMA = "id INT, first_name STRING, last_name STRING, phone STRING, salary INT"
COLUMNS = ["id", "first_name", "last_name", "phone", "salary"]
POLL_SECONDS = 30


def employees(spark: SparkSession, path: str) -> DataFrame:
    """The CSV rows (with a header line) plus a checksum over every column."""
    rows = spark.read.csv(path, schema=SCHEMA, header=True)
    return rows.withColumn("checksum", md5(concat_ws("|", *[col(c).cast("string") for c in COLUMNS])))


def table_exists(spark: SparkSession, table: str) -> bool:
    try:
        spark.read.format("delta").load(table).limit(0).collect()
        return True
    except AnalysisException:
        return False


def main(argv: list[str]) -> int:
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    source, table = argv[1], argv[2]
    deadline = time.monotonic() + (int(argv[3]) if len(argv) == 4 else 1800)
    spark = SparkSession.builder.appName("delta-merge").getOrCreate()
    try:
        while not table_exists(spark, table):
            if time.monotonic() > deadline:
                print(f"no Delta table at {table}: run delta-create first", file=sys.stderr)
                return 1
            print(f"waiting for the Delta table at {table}")
            time.sleep(POLL_SECONDS)
        employees(spark, source).createOrReplaceTempView("employee_updates")
        spark.sql(
            f"""
            MERGE INTO delta.`{table}` AS current
            USING employee_updates AS updates
            ON current.id = updates.id
            WHEN MATCHED AND current.checksum <> updates.checksum THEN UPDATE SET *
            WHEN NOT MATCHED THEN INSERT *
            """
        )
        spark.sql(f"GENERATE symlink_format_manifest FOR TABLE delta.`{table}`")
        spark.read.format("delta").load(table).orderBy("id").show(truncate=False)
        print(f"Delta table {table} merged")
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
