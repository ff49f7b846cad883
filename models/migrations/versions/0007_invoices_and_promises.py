"""invoice requests; shipped phrases that promised what no setting backs, brought up to date

``invoice_requests``: one per order, the details a customer gave in the chat (抬头, 税号, e-mail), requested →
issued by the shop's staff. Written by hand; constraint names follow models._base.NAMING_CONVENTION.

Phrases: earlier shipped texts promised 运费险, free exchanges and "1到3个工作日" with no setting behind them.
A shop's phrase whose variants are still exactly the old shipped ones (never edited) gets the new shipped
variants, which take those promises from settings ({return_postage}, {refund_days}…); an edited phrase
is left as the shop wrote it. Downgrade puts the old texts back the same way.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 06:00:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa

from models._upgrades import swap_shipped_phrases


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# key: (old shipped variants, new shipped variants)
_PHRASES = {'consult.size_advice': [['按您{measure}，{product}建议选{size}码哦～喜欢宽松一点的话可以再大一码呢。',
                          '亲，{measure}的话，{product}穿{size}码会比较合身哦。',
                          '参考您{measure}，{product}推荐{size}码呢～收到不合适也能免费换码，放心哦。'],
                         ['按您{measure}，{product}建议选{size}码哦～喜欢宽松一点的话可以再大一码呢。',
                          '亲，{measure}的话，{product}穿{size}码会比较合身哦。',
                          '参考您{measure}，{product}推荐{size}码呢～收到不合适，{return_days}天内可以换码哦。']],
 'invoice.info': [['亲，我们可以开电子发票哦～麻烦发一下发票抬头和税号（个人的话写姓名就行），确认收货后3个工作日内发到您的邮箱。',
                   '需要发票的话，把抬头、税号和接收邮箱发给我就好呢，电子发票一般3个工作日内开好发给您哦。'],
                  ['亲，可以开{invoice_types}哦～开票需要：发票抬头（个人写姓名就行）、税号（个人不用填）和接收发票的邮箱。一条消息发给我就好。',
                   '需要发票的话，把抬头、税号（个人不用）和接收邮箱发我就好，我们可以开{invoice_types}。']],
 'modify.already_shipped': [['亲，非常抱歉，订单{order_no}已经从仓库发出了，运单号{tracking_no}，没办法再拦截了呢。您可以拒收后重新下单，或者收到后联系我们免费换，两种都可以哦。',
                             '不好意思呀，订单{order_no}已经在路上了（{courier}单号{tracking_no}）。收到后可以直接申请换货，运费我们承担；不想要的话也可以拒签，我们收到退件就给您退款。'],
                            ['亲，非常抱歉，订单{order_no}已经从仓库发出了，运单号{tracking_no}，没办法再拦截了呢。您可以拒收后重新下单，或者收到后在{return_days}天内找我们换（{return_postage}），两种都可以哦。',
                             '不好意思呀，订单{order_no}已经在路上了（{courier}单号{tracking_no}）。收到后{return_days}天内可以找我们换货（{return_postage}）；不想要的话也可以拒签，我们收到退件就给您退款。']],
 'modify.cancelled': [['亲，订单{order_no}已经帮您取消了，款项会原路退回，一般1到3个工作日到账哦。',
                       '好的，订单{order_no}已取消，退款会按原支付方式退回，请留意查收呢。有需要随时再找我～'],
                      ['亲，订单{order_no}已经帮您取消了，款项会原路退回，一般{refund_days}个工作日到账哦。',
                       '好的，订单{order_no}已取消，退款会按原支付方式退回，一般{refund_days}个工作日到账，请留意查收呢。有需要随时再找我～']],
 'objection.bargain_hold': [['亲，这个价格已经很实在啦～面料和做工都是按自己穿的标准挑的，上身就能感觉到差别哦。',
                             '理解您想省一点呢～我们是工厂直供，中间没有层层加价，价格已经压得很低了哦。',
                             '亲，价格是统一定的，对每位顾客都一样呢。品质和售后您放心，收到不满意{return_days}天内都能退换哦。',
                             '我们家的面料都是反复洗测过的，不容易缩水起球，穿得久其实更划算哦～',
                             '真心说，这个价已经是良心价啦～买回去不满意可以{return_days}天无理由退换，还送运费险，您一点都不吃亏呢。'],
                            ['亲，这个价格已经很实在啦～面料和做工都是按自己穿的标准挑的，上身就能感觉到差别哦。',
                             '理解您想省一点呢～我们是工厂直供，中间没有层层加价，价格已经压得很低了哦。',
                             '亲，价格是统一定的，对每位顾客都一样呢。品质和售后您放心，收到不满意{return_days}天内都能退换哦。',
                             '我们家的面料都是反复洗测过的，不容易缩水起球，穿得久其实更划算哦～',
                             '真心说，这个价已经是良心价啦～买回去不满意可以{return_days}天无理由退换，您不会吃亏的呢。']],
 'objection.fit': [['亲，担心尺码的话，把身高体重告诉我，我帮您挑哦～万一不合适，支持免费换码呢。',
                    '不用担心哦～我们有详细的尺码表，我帮您对一下；收到不合身也能免费换一次码，换货运费我们出。'],
                   ['亲，担心尺码的话，把身高体重告诉我，我帮您挑哦～万一不合适，{return_days}天内可以换码，{return_postage}。',
                    '不用担心哦～我们有详细的尺码表，我帮您对一下；收到不合身，{return_days}天内可以换码（{return_postage}）。']],
 'objection.price_match': [['亲，每家的面料、做工和售后不太一样，价格也会有差别呢。我们家支持{return_days}天无理由退换，还送运费险，买得更安心哦。',
                            '理解的呢～货比三家很正常。我们能保证的是面料做工实打实，有任何问题随时找我们处理，您可以放心比较哦。'],
                           ['亲，每家的面料、做工和售后不太一样，价格也会有差别呢。我们家支持{return_days}天无理由退换，买得更安心哦。',
                            '理解的呢～货比三家很正常。我们能保证的是面料做工实打实，有任何问题随时找我们处理，您可以放心比较哦。']],
 'objection.product_fact': [['亲，这个可以放心哦：{product}{reason}～收到不满意{return_days}天内也可以无理由退换。',
                             '关于这点，{product}的情况是：{reason}。真有问题我们包退换，还送运费险哦。'],
                            ['亲，这个可以放心哦：{product}{reason}～收到不满意{return_days}天内也可以无理由退换。',
                             '关于这点，{product}的情况是：{reason}。真有质量问题我们包退换哦。']],
 'objection.quality': [['亲，每件发出前都会检查一遍的～收到有质量问题我们包退包换，另外支持{return_days}天无理由退换，退货运费有运费险报销哦。',
                        '理解您的担心呢～这单我们送运费险，收到不满意{return_days}天内可以无理由退，您不会吃亏的哦。'],
                       ['亲，每件发出前都会检查一遍的～收到有质量问题我们包退包换，另外支持{return_days}天无理由退换，{return_postage}。',
                        '理解您的担心呢～收到不满意{return_days}天内可以无理由退（{return_postage}），您不会吃亏的哦。']],
 'returns.policy': [['亲，本店支持{return_days}天无理由退换哦，吊牌完好、不影响二次销售就可以。在订单页申请退货，寄回后我们收到就退款，一般1到3天到账；质量问题来回运费我们出，非质量问题可以用运费险报销哦。',
                     '退换货给您说明一下：签收后{return_days}天内，未洗未穿、吊牌完好都可以退换哦。在订单里申请就行，我们收到退件后尽快原路退款。个人原因退货的运费可以用运费险抵扣，质量问题运费由我们承担～'],
                    ['亲，本店支持签收后{return_days}天内无理由退换，衣服未洗未穿、吊牌完好、不影响二次销售就可以；{return_postage}。我们收到退件、检查没问题后原路退款，一般{refund_days}个工作日到账。',
                     '退换货给您说明一下：签收后{return_days}天内，未洗未穿、吊牌完好都可以退或换；{return_postage}。退件到了我们检查后就退款，一般{refund_days}个工作日到账；质量问题的话来回运费都由我们承担～']]}

def _swap(old_index: int) -> None:
    swap_shipped_phrases(op.get_bind(), _PHRASES, old_index)


def upgrade() -> None:
    op.create_table('invoice_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=128), nullable=False),
    sa.Column('tax_no', sa.String(length=32), nullable=True),
    sa.Column('email', sa.String(length=128), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('invoice_no', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_invoice_requests_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_invoice_requests_customer_id_customers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_invoice_requests_conversation_id_conversations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_requests')),
    sa.UniqueConstraint('order_id', name=op.f('uq_invoice_requests_order_id'))
    )
    op.create_index(op.f('ix_invoice_requests_customer_id'), 'invoice_requests', ['customer_id'], unique=False)
    op.create_index(op.f('ix_invoice_requests_status'), 'invoice_requests', ['status'], unique=False)
    _swap(0)


def downgrade() -> None:
    _swap(1)
    op.drop_index(op.f('ix_invoice_requests_status'), table_name='invoice_requests')
    op.drop_index(op.f('ix_invoice_requests_customer_id'), table_name='invoice_requests')
    op.drop_table('invoice_requests')
