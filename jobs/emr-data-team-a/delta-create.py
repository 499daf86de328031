"""Delta Lake, step 1: load employees from a CSV file into a Delta table (path-based, no
catalog), add an MD5 checksum of each row, and write the symlink manifest Athena and Presto
read.

Usage: delta-create.py <employees CSV> <table path>
"""

import sys

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.functions import col, concat_ws, md5

SCHEMA = "id INT, first_name STRING, last_name STRING, phone STRING, salary INT"
COLUMNS = ["id", "first_name", "last_name", "phone", "salary"]


def employees(spark: SparkSession, path: str) -> DataFrame:
    """The CSV rows (with a header line) plus a checksum over every column."""
    rows = spark.read.csv(path, schema=SCHEMA, header=True)
    return rows.withColumn("checksum", md5(concat_ws("|", *[col(c).cast("string") for c in COLUMNS])))


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    source, table = argv[1], argv[2]
    spark = SparkSession.builder.appName("delta-create").getOrCreate()
    try:
        employees(spark, source).write.format("delta").mode("overwrite").save(table)
        spark.sql(f"GENERATE symlink_format_manifest FOR TABLE delta.`{table}`")
        spark.read.format("delta").load(table).orderBy("id").show(truncate=False)
        print(f"Delta table written to {table}")
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
