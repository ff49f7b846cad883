"""the shipped remote-area phrase no longer promises days and a surcharge no setting backs; dispatch after the cut-off

Earlier shipped texts of ``shipping.remote`` said remote areas take "3到5天" longer and cost "一点偏远运费" — numbers
no setting of the shop holds. The new text says what the settings do hold (courier, cut-off, usual days) and
offers a colleague for the rest. ``shipping.delivery_time`` also says when an order paid after the cut-off
leaves (the next day), which shoppers ask; ``invoice.kinds`` says when the invoice comes. A shop that never edited the phrase gets the new text; an edited one is left
as the shop wrote it. Downgrade puts the old text back the same way. No schema change.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 16:00:00.000000
"""
from __future__ import annotations

from alembic import op

from models._upgrades import swap_shipped_phrases

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# key: (old shipped variants, new shipped variants)
_PHRASES = {
    'shipping.remote': [
        ['亲，新疆、西藏、青海这些偏远地区快递会慢一些，一般要多3到5天，而且需要补一点偏远运费哦。您告诉我收货地区，我先帮您查清楚再下单～',
         '跟您说实话，偏远地区（新疆、西藏、内蒙古等）不在包邮范围内，要加收一些运费，时效也会比其他地方慢几天呢。具体金额我帮您确认好再告诉您哦。'],
        ['亲，我们发货都走{courier}，{dispatch_cutoff}前付款当天发出，一般地区{delivery_days}天到、满{free_shipping_threshold}元包邮；'
         '{place}这样的偏远地区路上会久一些。能不能发、要不要另加运费，我这边没有准确信息，不想随口说错～'
         '点“请同事确认”，同事帮您查清楚再下单哦。'],
    ],
    'shipping.delivery_time': [
        ['亲，{dispatch_cutoff}前付款当天发货，走{courier}，一般{delivery_days}天左右就能到哦～',
         '今天{dispatch_cutoff}前拍下当天就发出呢，正常{delivery_days}天能收到；节假日和大促期间可能会慢一两天，提前跟您说一声哦。'],
        ['亲，{dispatch_cutoff}前付款当天发货，{dispatch_cutoff}以后付款的第二天发，走{courier}，一般{delivery_days}天左右就能到哦～',
         '今天{dispatch_cutoff}前拍下当天就发出呢，{dispatch_cutoff}以后拍的第二天发；正常{delivery_days}天能收到，'
         '节假日和大促期间可能会慢一两天，提前跟您说一声哦。'],
    ],
    'invoice.kinds': [
        ['我们开的是{invoice_types}，开好后发到您留的邮箱哦。'],
        ['我们目前开的是{invoice_types}，下单后{invoice_days}个工作日内开好，发到您留的邮箱哦；别的类型（比如专票）我这边开不了，'
         '确实需要的话我请同事帮您问问。'],
    ],
}


def upgrade() -> None:
    swap_shipped_phrases(op.get_bind(), _PHRASES, 0)


def downgrade() -> None:
    swap_shipped_phrases(op.get_bind(), _PHRASES, 1)
