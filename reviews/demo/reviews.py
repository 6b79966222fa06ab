"""The demo's review documents (narrative, lessons, solutions) for BK, BK-CD and BK-CM-NH.

Written after the Báo Bắc Kạn article on the 2020–2025 mid-term reviews; figures that the report
prints (54/66, 17/31, 18/20) are never typed here, they come from the assessments."""

from datetime import date
from typing import TypedDict

from indicators.models import Committee

from ..models import SolutionArea
from ..services import SolutionItem, review_document_seed

ECO = SolutionArea.SOCIO_ECONOMIC
DEF = SolutionArea.DEFENCE_SECURITY
ADM = SolutionArea.ADMINISTRATIVE_REFORM
PARTY = SolutionArea.PARTY_BUILDING


class DemoReview(TypedDict):
    fields: dict[str, str | date]
    lessons: list[str]
    solutions: list[SolutionItem]


BK: DemoReview = {
    "fields": {
        "document_number": "125-BC/TU",
        "place": "Bắc Kạn",
        "document_date": date(2023, 6, 15),
        "signer_title": "Bí thư",
        "signer_name": "Hoàng Văn Minh",  # illustrative, like every name the article does not give
        "recipients": "Ban Bí thư (b/c)\nVăn phòng Trung ương Đảng (b/c)\nCác đồng chí Tỉnh ủy viên\n"
        "Các huyện ủy, thành ủy, đảng ủy trực thuộc\nLưu Văn phòng Tỉnh ủy",
        "overall": (
            "Hơn hai năm qua, trong bối cảnh dịch COVID-19 diễn biến phức tạp, thiên tai, dịch bệnh trên "
            "đàn vật nuôi gây nhiều thiệt hại, Đảng bộ, chính quyền và Nhân dân các dân tộc trong tỉnh đã "
            "nỗ lực phấn đấu, tranh thủ thời cơ, khắc phục khó khăn, quyết liệt trong chỉ đạo, tổ chức "
            "thực hiện Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XII và đạt được một số kết quả quan trọng "
            "trên các lĩnh vực.\n\n"
            "Kinh tế duy trì tăng trưởng; cơ cấu kinh tế chuyển dịch đúng hướng; kết cấu hạ tầng, nhất là "
            "giao thông, tiếp tục được đầu tư; chương trình xây dựng nông thôn mới và giảm nghèo bền vững "
            "được triển khai đồng bộ. Văn hóa – xã hội có nhiều tiến bộ, an sinh xã hội được bảo đảm, đời "
            "sống Nhân dân từng bước được cải thiện. Quốc phòng, an ninh được giữ vững; công tác xây dựng "
            "Đảng và hệ thống chính trị được chú trọng, đạt nhiều kết quả tích cực."
        ),
        "shortcomings": (
            "Tăng trưởng kinh tế chưa đạt mục tiêu, quy mô kinh tế còn nhỏ; thu hút đầu tư, nhất là đầu "
            "tư trực tiếp, còn hạn chế. Sản xuất nông nghiệp hàng hóa chưa hình thành được nhiều vùng tập "
            "trung quy mô lớn; chăn nuôi gặp nhiều khó khăn do dịch bệnh.\n\n"
            "Tỷ lệ hộ nghèo trong vùng đồng bào dân tộc thiểu số còn cao; chất lượng nguồn nhân lực chưa "
            "đáp ứng yêu cầu. Công tác quản lý tài nguyên, khoáng sản, lâm sản có nơi chưa chặt chẽ. Một "
            "số cấp ủy, tổ chức đảng chưa phát huy hết vai trò lãnh đạo."
        ),
        "causes_objective": (
            "Tác động kéo dài của đại dịch COVID-19; thiên tai, dịch tả lợn châu Phi, bệnh viêm da nổi cục "
            "trên trâu, bò; giá cả nguyên liệu, vật tư tăng cao. Tỉnh có điểm xuất phát thấp, địa hình chia "
            "cắt, kết cấu hạ tầng chưa đồng bộ, nguồn lực đầu tư còn hạn hẹp."
        ),
        "causes_subjective": (
            "Sự lãnh đạo, chỉ đạo của một số cấp ủy, chính quyền có lúc, có việc chưa quyết liệt, thiếu sâu "
            "sát; năng lực tham mưu, thực thi công vụ của một bộ phận cán bộ còn hạn chế; sự phối hợp giữa "
            "các ngành, các cấp có lúc chưa chặt chẽ."
        ),
        "tasks": (
            "Tập trung lãnh đạo, chỉ đạo thực hiện quyết liệt, đồng bộ các giải pháp từ tỉnh đến cơ sở để "
            "phấn đấu hoàn thành thắng lợi các mục tiêu, chỉ tiêu Nghị quyết Đại hội Đảng bộ tỉnh lần thứ "
            "XII trong nửa cuối nhiệm kỳ, ưu tiên các chỉ tiêu khó đạt.\n\n"
            "Chỉ đạo các chi, đảng bộ trực thuộc xây dựng kế hoạch cụ thể, phù hợp với tình hình thực tiễn "
            "để triển khai thực hiện, tạo đà cho các năm tiếp theo."
        ),
    },
    "lessons": [
        "Phải thường xuyên nắm chắc tình hình, chủ động dự báo, kịp thời đề ra chủ trương, giải pháp "
        "lãnh đạo, chỉ đạo sát thực tiễn; giữ vững nguyên tắc tập trung dân chủ, phát huy trí tuệ tập thể.",
        "Phát huy vai trò nêu gương, tinh thần trách nhiệm của người đứng đầu cấp ủy, chính quyền; dám "
        "nghĩ, dám làm, dám chịu trách nhiệm vì lợi ích chung.",
        "Tập trung chỉ đạo dứt điểm những việc khó, việc mới; lựa chọn đúng khâu đột phá, nhiệm vụ trọng "
        "tâm để ưu tiên nguồn lực thực hiện.",
        "Tăng cường sự đoàn kết, thống nhất trong Đảng bộ; phối hợp chặt chẽ giữa các cấp, các ngành, Mặt "
        "trận Tổ quốc và các đoàn thể chính trị – xã hội.",
        "Coi trọng công tác kiểm tra, giám sát, đôn đốc việc thực hiện; kịp thời tháo gỡ khó khăn, vướng "
        "mắc cho cơ sở và xử lý nghiêm các sai phạm.",
        "Phát huy sức mạnh khối đại đoàn kết các dân tộc, lấy Nhân dân làm trung tâm; làm tốt công tác "
        "dân vận, tạo đồng thuận xã hội trong thực hiện các chủ trương lớn.",
    ],
    "solutions": [
        SolutionItem(
            ECO,
            "Tập trung phát triển kinh tế nhanh và bền vững; cải thiện môi trường đầu tư kinh doanh, nâng "
            "cao chỉ số năng lực cạnh tranh cấp tỉnh; đẩy mạnh thu hút đầu tư, phát triển nông nghiệp "
            "hàng hóa, du lịch và dịch vụ.",
        ),
        SolutionItem(
            ECO,
            "Phát triển văn hóa – xã hội, nâng cao chất lượng nguồn nhân lực; thực hiện hiệu quả các "
            "chương trình mục tiêu quốc gia về giảm nghèo bền vững, xây dựng nông thôn mới và phát triển "
            "vùng đồng bào dân tộc thiểu số.",
        ),
        SolutionItem(
            DEF,
            "Củng cố quốc phòng, an ninh; xây dựng thế trận quốc phòng toàn dân gắn với thế trận an ninh "
            "nhân dân vững chắc; bảo đảm trật tự, an toàn xã hội.",
        ),
        SolutionItem(
            ADM,
            "Đẩy mạnh cải cách hành chính, chuyển đổi số; nâng cao hiệu lực, hiệu quả quản lý nhà nước "
            "và trách nhiệm của người đứng đầu trong thực thi công vụ.",
        ),
        SolutionItem(
            PARTY,
            "Tăng cường xây dựng, chỉnh đốn Đảng và hệ thống chính trị trong sạch, vững mạnh; nâng cao "
            "năng lực lãnh đạo, sức chiến đấu của tổ chức cơ sở đảng và chất lượng đội ngũ cán bộ, "
            "đảng viên.",
        ),
    ],
}

BK_CD: DemoReview = {
    "fields": {
        "document_number": "218-BC/HU",
        "place": "Chợ Đồn",
        "document_date": date(2023, 5, 26),
        "signer_title": "Phó Bí thư Thường trực",
        "signer_name": "Ma Thị Na",
        "recipients": "Ban Thường vụ Tỉnh ủy (b/c)\nCác đồng chí Huyện ủy viên\nCác chi, đảng bộ trực thuộc\n"
        "Lưu Văn phòng Huyện ủy",
        "overall": (
            "Nửa đầu nhiệm kỳ, Đảng bộ và Nhân dân các dân tộc huyện Chợ Đồn đã đoàn kết, khắc phục khó "
            "khăn, tập trung thực hiện Nghị quyết Đại hội đại biểu Đảng bộ huyện lần thứ XXII và đạt được "
            "những kết quả quan trọng. Sản xuất nông, lâm nghiệp phát triển; kết cấu hạ tầng được quan tâm "
            "đầu tư; công tác xây dựng Đảng và hệ thống chính trị có chuyển biến tích cực; quốc phòng, an "
            "ninh được giữ vững."
        ),
        "shortcomings": (
            "Kinh tế của huyện phát triển chưa tương xứng với tiềm năng; công tác quản lý đô thị, tài "
            "nguyên đất, khoáng sản, lâm sản chưa chặt chẽ; tình trạng vi phạm các quy định về quản lý lâm "
            "sản, khoáng sản còn diễn biến phức tạp.\n\n"
            "Việc xây dựng trường đạt chuẩn quốc gia chưa đạt kế hoạch; kết quả giảm nghèo đạt thấp, tỷ lệ "
            "hộ nghèo trong vùng đồng bào dân tộc thiểu số còn cao."
        ),
        "causes_objective": (
            "Dịch COVID-19, dịch bệnh trên đàn gia súc và thiên tai ảnh hưởng lớn đến sản xuất và đời sống; "
            "nguồn lực đầu tư từ ngân sách hạn chế; địa bàn rộng, giao thông đi lại khó khăn."
        ),
        "causes_subjective": (
            "Sự lãnh đạo của Ban Thường vụ Huyện ủy, điều hành của UBND huyện chưa toàn diện ở một số lĩnh "
            "vực, có lúc chưa kịp thời tháo gỡ khó khăn cho cơ sở. Một số cấp ủy, chính quyền địa phương có "
            "lúc, có việc chưa tích cực, chưa quyết liệt, kịp thời; chưa phát huy được tính chủ động đổi mới "
            "sáng tạo và năng suất, hiệu quả làm việc."
        ),
        "tasks": (
            "Chỉ đạo các chi, đảng bộ trực thuộc xây dựng kế hoạch cụ thể, phù hợp với tình hình thực tiễn "
            "để triển khai một cách đồng bộ, phấn đấu hoàn thành các chỉ tiêu, nhiệm vụ còn lại của nhiệm "
            "kỳ, tạo đà cho các năm tiếp theo."
        ),
    },
    "lessons": [
        "Bám sát chủ trương của cấp trên và thực tiễn địa phương để cụ thể hóa thành chương trình, kế "
        "hoạch phù hợp.",
        "Người đứng đầu cấp ủy, chính quyền phải gương mẫu, quyết liệt, sâu sát cơ sở.",
        "Thường xuyên kiểm tra, giám sát, kịp thời tháo gỡ khó khăn, vướng mắc cho cơ sở.",
    ],
    "solutions": [
        SolutionItem(ECO, "Phát triển nông, lâm nghiệp theo hướng sản xuất hàng hóa, gắn với chuỗi giá trị."),
        SolutionItem(ECO, "Tăng cường quản lý tài nguyên đất, khoáng sản, lâm sản; xử lý nghiêm vi phạm."),
        SolutionItem(ECO, "Nâng cao hiệu quả quản lý đô thị, quy hoạch và trật tự xây dựng."),
        SolutionItem(
            ECO, "Huy động, lồng ghép các nguồn lực đầu tư kết cấu hạ tầng, nhất là giao thông nông thôn."
        ),
        SolutionItem(
            ECO, "Thực hiện hiệu quả chương trình giảm nghèo bền vững trong vùng đồng bào dân tộc thiểu số."
        ),
        SolutionItem(ECO, "Đẩy nhanh xây dựng trường đạt chuẩn quốc gia; nâng cao chất lượng giáo dục."),
        SolutionItem(ECO, "Phát triển du lịch sinh thái, dịch vụ gắn với di tích lịch sử ATK Chợ Đồn."),
        SolutionItem(ECO, "Chăm sóc sức khỏe Nhân dân, phòng, chống dịch bệnh cho người và vật nuôi."),
        SolutionItem(DEF, "Củng cố quốc phòng, xây dựng khu vực phòng thủ huyện vững chắc."),
        SolutionItem(DEF, "Giữ vững an ninh chính trị, trật tự, an toàn xã hội trên địa bàn."),
        SolutionItem(
            ADM, "Đẩy mạnh cải cách hành chính, chuyển đổi số, nâng cao chỉ số hài lòng của người dân."
        ),
        SolutionItem(PARTY, "Tăng cường công tác chính trị, tư tưởng; đẩy mạnh học tập và làm theo Bác."),
        SolutionItem(PARTY, "Củng cố, kiện toàn tổ chức cơ sở đảng; nâng cao chất lượng sinh hoạt chi bộ."),
        SolutionItem(
            PARTY, "Làm tốt công tác cán bộ; đánh giá, sử dụng cán bộ theo kết quả, sản phẩm cụ thể."
        ),
        SolutionItem(PARTY, "Nâng cao hiệu quả công tác kiểm tra, giám sát và thi hành kỷ luật đảng."),
        SolutionItem(PARTY, "Đổi mới công tác dân vận; phát huy vai trò Mặt trận Tổ quốc và các đoàn thể."),
        SolutionItem(PARTY, "Đẩy mạnh phòng, chống tham nhũng, tiêu cực, lãng phí."),
    ],
}

BK_CM_NH: DemoReview = {
    "fields": {
        "document_number": "46-BC/ĐU",
        "place": "Nông Hạ",
        "document_date": date(2023, 5, 12),
        "signer_title": "Bí thư",
        "signer_name": "Đinh Anh Trường",
        "recipients": "Ban Thường vụ Huyện ủy Chợ Mới (b/c)\nCác đồng chí Đảng ủy viên\n"
        "Các chi bộ trực thuộc\n"
        "Lưu Văn phòng Đảng ủy",
        "overall": (
            "Ngay sau khi Huyện ủy Chợ Mới có chỉ đạo về công tác sơ kết, Đảng ủy xã đã chủ động xây dựng "
            "dự thảo báo cáo đánh giá giữa nhiệm kỳ dựa trên tình hình thực tế của địa phương. Thông qua "
            "việc đánh giá, Đảng ủy đã thẳng thắn nhìn nhận những việc chưa làm được, phân tích nguyên nhân "
            "khách quan, chủ quan, từ đó dự báo tình hình và đưa ra những nhiệm vụ, giải pháp để khắc phục."
        ),
        "shortcomings": (
            "Việc phát triển tổng đàn vật nuôi chưa đạt kế hoạch đề ra. Một số chỉ tiêu của Nghị quyết số "
            "04-NQ/HU và Nghị quyết số 03-NQ/HU ngày 15/12/2020 của Ban Chấp hành Đảng bộ huyện chưa đạt "
            "kế hoạch."
        ),
        "causes_objective": (
            "Dịch tả lợn châu Phi, bệnh viêm da nổi cục trên trâu, bò bùng phát; giá thức ăn chăn nuôi tăng "
            "cao khiến người dân không tái đàn."
        ),
        "causes_subjective": (
            "Công tác tuyên truyền, vận động người dân chuyển đổi cơ cấu cây trồng, vật nuôi có lúc chưa "
            "thường xuyên; liên kết tiêu thụ sản phẩm còn yếu."
        ),
        "tasks": (
            "Nỗ lực thực hiện những chỉ tiêu chưa đạt, khó đạt; tập trung khôi phục tổng đàn gia súc, gia "
            "cầm và phát triển vùng sản xuất hàng hóa theo Nghị quyết của Huyện ủy."
        ),
    },
    "lessons": [
        "Cấp ủy phải sâu sát cơ sở, nắm chắc tình hình để lãnh đạo, chỉ đạo kịp thời.",
        "Phát huy vai trò nêu gương của cán bộ, đảng viên trong thực hiện nhiệm vụ.",
    ],
    "solutions": [
        SolutionItem(
            ECO, "Khôi phục và phát triển tổng đàn gia súc, gia cầm; làm tốt công tác phòng, chống dịch bệnh."
        ),
        SolutionItem(ECO, "Xây dựng liên kết tiêu thụ sản phẩm cây ăn quả, cây dược liệu hàng hóa."),
        SolutionItem(DEF, "Giữ vững an ninh chính trị, trật tự, an toàn xã hội trên địa bàn xã."),
        SolutionItem(
            PARTY,
            "Tăng cường công tác kiểm tra, giám sát đối với việc rèn luyện phẩm chất đạo đức, lối sống của "
            "cán bộ, đảng viên, nhất là trong lãnh đạo, quản lý và thực thi công vụ.",
        ),
    ],
}

DEMO = {"BK": BK, "BK-CD": BK_CD, "BK-CM-NH": BK_CM_NH}


def load(*, term) -> int:
    """Write the demo reviews that don't exist yet; returns how many were written."""
    written = 0
    for committee in Committee.objects.filter(term=term, code__in=DEMO):
        content = DEMO[committee.code]
        written += review_document_seed(
            committee=committee,
            fields=content["fields"],
            lessons=content["lessons"],
            solutions=content["solutions"],
        )
    return written
