"""NYC taxi trips: read a month of yellow-cab trips, stamp each row with the processing date,
print a sample and the row count, and write the result as two Parquet files.

Usage: taxi-trip.py <input prefix of Parquet files> <output prefix>
"""

import sys
from datetime import datetime, timezone

from pyspark.sql import SparkSession
from pyspark.sql.functions import current_date


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    source, target = argv[1], argv[2]
    started = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    spark = SparkSession.builder.appName(f"nyc-taxi-{started}").getOrCreate()
    try:
        trips = spark.read.parquet(source).withColumn("current_date", current_date())
        trips.printSchema()
        trips.show(20, truncate=False)
        print(f"{trips.count()} trips read from {source}")
        trips.repartition(2).write.mode("overwrite").parquet(target)
        print(f"written to {target}")
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
