"""The single DynamoDB table: keys, items ↔ models, queries, transactions (boto3 only here)."""
