"""The invoice timeline: which events one change of the table (a stream record) stands for. Pure: no boto3."""
