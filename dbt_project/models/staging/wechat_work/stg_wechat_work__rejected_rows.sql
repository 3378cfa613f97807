{{ rejected_rows_of('raw_wechat_work') }}
